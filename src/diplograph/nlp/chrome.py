"""Mask page chrome inside paragraphs before parsing: datelines, live-blog timestamps, credits.

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


#: a name as credits write it: "Ana Lind", "Ham Ji-ha", "Robert O'Brien"
_NAME = r"[A-Z][\w'\u2019.-]+(?:\s+(?:[A-Z][\w'\u2019.-]+|de|da|van|von|bin|al))*"
_NAMES = rf"{_NAME}(?:(?:,\s*|\s+and\s+|,\s+and\s+){_NAME})*"
#: where a sentence may start: the start of a line, or after a sentence's end
_SENTENCE = r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"\u201d\u2019]\s))"
#: credits inside a story's paragraphs, each a whole sentence: who reported or contributed,
#: where the report came from, video captions; bylines ("By NAME, Correspondent") as lines
_CREDIT = re.compile(
    rf"{_SENTENCE}(?:"
    rf"[^\n.!?]*\bcontributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)"
    rf"|[^\n.!?]*\bcontributed\s+reporting\b"
    rf"|{_NAMES}\s+(?:contributed|reported)\s+from\b"
    rf"|(?:This|The)\s+(?:report|story)\s+(?:originated|was\s+produced)\b"
    rf")(?:[^\n]*?[.!?](?=\s|$)|[^\n]*$)?"
    rf"|{_SENTENCE}(?:WATCH|LISTEN):\s+[^\n.!?]{{0,60}}?\b(?:video|audio)\s+report\b"
    rf"|^By\s+{_NAMES}(?:,\s*[A-Z][\w ]{{0,40}})?[ \t]*$",
    re.MULTILINE,
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
    """The text with datelines, timestamps, update stamps and credits ("X contributed to
    this report", bylines) blanked out (same length)."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    return _CREDIT.sub(blank, _STAMP_LINE.sub(blank, _DATELINE.sub(blank, text)))


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
