"""Remove web chrome (share buttons, comment forms, "Read more" links) from article text."""

from __future__ import annotations

import functools
import re
from importlib import resources

#: A line with more words than this is content, never boilerplate (unless it is the title).
MAX_BOILERPLATE_WORDS = 25

_RESOURCE = "resources/boilerplate.txt"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_BLANK_RUNS = re.compile(r"\n{3,}")


def load_patterns(text: str, name: str = _RESOURCE) -> re.Pattern[str]:
    """Compile a pattern table (one regex a line, ``#`` comments) into one whole-line regex.

    Raises ``ValueError`` naming the line of a pattern that does not compile.

    >>> load_patterns("# chrome\\nread more\\n").fullmatch("READ MORE") is not None
    True
    """
    alternatives = []
    for number, line in enumerate(text.splitlines(), start=1):
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{name}:{number}: invalid regular expression: {exc}") from None
        alternatives.append(f"(?:{pattern})")
    return re.compile("|".join(alternatives) or r"(?!)", re.IGNORECASE)


@functools.cache
def boilerplate_patterns() -> re.Pattern[str]:
    """The packaged boilerplate table, ``diplograph/resources/boilerplate.txt``, compiled once."""
    source = resources.files("diplograph").joinpath(_RESOURCE)
    return load_patterns(source.read_text(encoding="utf-8"))


def _normalise(line: str) -> str:
    return " ".join(line.translate(_QUOTES).split()).casefold()


def is_boilerplate(line: str) -> bool:
    """Whether ``line`` is web chrome: short, and a whole-line match of a boilerplate pattern.

    >>> is_boilerplate("Share on WhatsApp")
    True
    >>> is_boilerplate("SEOUL (Wire) — Talks resumed on Monday.")
    False
    """
    stripped = line.strip()
    if not stripped or len(stripped.split()) > MAX_BOILERPLATE_WORDS:
        return False
    return boilerplate_patterns().fullmatch(stripped) is not None


def strip_boilerplate(text: str, title: str | None = None) -> str:
    """Drop web chrome and repeated headline lines from ``text``; keep everything else.

    Works line by line: a line is dropped when it equals ``title`` (ignoring case,
    spacing and quote style) or when it is short (at most 25 words) and matches a
    pattern of ``resources/boilerplate.txt`` as a whole. Kept lines are unchanged
    apart from trailing whitespace; runs of blank lines shrink to one blank line
    (a paragraph break) and leading and trailing blank lines are removed.

    Args:
        text: article body, paragraphs separated by blank lines.
        title: the article's headline, removed where the body repeats it.

    Returns:
        The cleaned text, possibly empty.

    >>> strip_boilerplate("Talks Resume\\n\\nTalks resumed.\\n\\nShare this", "talks resume")
    'Talks resumed.'
    """
    headline = _normalise(title) if title and title.strip() else None
    kept = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip()
        if line and (
            (headline is not None and _normalise(line) == headline) or is_boilerplate(line)
        ):
            continue
        kept.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n")
