"""Where a name begins and ends, and what kind of name it is, from the shape of the text.

Pure helpers over spaCy spans that ``nlp/actors.py`` applies to the recogniser's entities
before it resolves them: one kind for one name within an article (the "Marvo" of "Marvo
district" is a place too; "Tazi" of "Karim el-Tazi" is that person).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

#: last words of a place's own name, which the recogniser may read as a body or a person
#: ("Ghazni province", "Whitsun Reef", "Incirlik Air Base")
PLACE_NAME_ENDS = {
    "province", "region", "district", "county", "oblast", "reef", "shoal", "island", "islands",
    "strait", "peninsula", "valley", "base", "airbase", "airport", "camp",
}  # fmt: skip
_HYPHENS = re.compile(r"[-\u2010\u2011]")


def ends_in_place_word(span: Span) -> bool:
    """Whether a name of several words ends with a place's own word ("Marvo province")."""
    return len(span) > 1 and span[-1].lower_ in PLACE_NAME_ENDS


def place_stems(spans: list[Span]) -> set[str]:
    """The names that place names end in a place word are made of: "Marvo" of "Marvo
    province", used alone for the same place."""
    return {span[:-1].text for span in spans if ends_in_place_word(span) and span[-1].is_lower}


def name_words(text: str) -> list[str]:
    """The capitalised words of a person's name and the capitalised last parts of its
    hyphenated words: "Karim" and "Tazi" of "Karim el-Tazi"."""
    words = []
    for word in text.split():
        if word[:1].isupper():
            words.append(word)
        parts = [p for p in _HYPHENS.split(word) if p]
        if len(parts) > 1 and parts[-1][:1].isupper():
            words.append(parts[-1])
    return words
