"""What a SPARQL request would reach, found before it runs: SERVICE and LOAD.

Two detectors, and a keyword counts if either finds it:

* a lexical scan that skips comments, string literals, IRIs, variables, prefixed names
  and language tags, and reports the bare keywords left. It needs no grammar, so it also
  covers text rdflib cannot parse but Oxigraph can, and it errs on the side of finding a
  keyword (a local name after a ``.`` counts), never on the side of missing one;
* rdflib's SPARQL parser, whose parse tree is walked for ``ServiceGraphPattern`` and
  ``Load`` nodes.

The wheel of pyoxigraph on PyPI is built with an HTTP client: a SERVICE pattern or a LOAD
that reached it would fetch the address. Nothing reaches it unless these checks pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters that may not appear inside an IRIREF (SPARQL 1.1 grammar, rule 139).
_NOT_IN_IRI = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_WORD = re.compile(r"[A-Za-z]+")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
KEYWORDS = frozenset({"SERVICE", "LOAD"})


@dataclass(frozen=True)
class Inspection:
    """Keywords a request uses: ``SERVICE``, ``LOAD``."""

    keywords: frozenset[str]
    parsed: bool  # rdflib could parse it (when False, only the lexical scan spoke)

    @property
    def service(self) -> bool:
        return "SERVICE" in self.keywords

    @property
    def load(self) -> bool:
        return "LOAD" in self.keywords


def unescape(text: str) -> str:
    r"""Apply SPARQL's ``\uXXXX`` and ``\UXXXXXXXX`` escapes, as a parser may before tokenizing.

    >>> unescape(r"\u0053ERVICE")
    'SERVICE'
    """

    def replace(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _ESCAPE.sub(replace, text)


def _end_of_string(text: str, start: int) -> int:
    """Index after the string literal starting at ``start`` (short or long, either quote)."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = start + 3
        while end < len(text):
            if text[end] == "\\":
                end += 2
            elif text.startswith(quote * 3, end):
                return end + 3
            else:
                end += 1
        return len(text)
    end = start + 1
    while end < len(text):
        char = text[end]
        if char == "\\":
            end += 2
        elif char == quote or char in "\r\n":
            return end + 1
        else:
            end += 1
    return len(text)


def _end_of_iri(text: str, start: int) -> int | None:
    """Index after an IRIREF starting at ``start`` (a ``<``), or None if ``<`` is an operator."""
    end = start + 1
    while end < len(text):
        char = text[end]
        if char == ">":
            return end + 1
        if char in _NOT_IN_IRI:
            return None
        end += 1
    return None


def scan(text: str) -> frozenset[str]:
    """The keywords of :data:`KEYWORDS` that appear as bare words in SPARQL ``text``.

    The text is scanned as written and with its ``\\u`` escapes applied, since parsers
    differ on when they apply them (an escaped quote may or may not end a string).

    >>> sorted(scan('SELECT * { <http://x/SERVICE> ?service "SERVICE" } # SERVICE'))
    []
    >>> sorted(scan("SELECT * { ?s ?p ?o .SERVICE <http://x> { } }"))
    ['SERVICE']
    """
    unescaped = unescape(text)
    found = _scan(text)
    return found if unescaped == text else found | _scan(unescaped)


def _scan(text: str) -> frozenset[str]:
    found: set[str] = set()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline + 1
        elif char in "\"'":
            i = _end_of_string(text, i)
        elif char == "<":
            end = _end_of_iri(text, i)
            i = end if end is not None else i + 1
        elif char.isalpha():
            match = _WORD.match(text, i)
            end = match.end() if match else i + 1
            # the whole name this word belongs to (letters, digits, _, -, : and .)
            while end < len(text) and (text[end].isalnum() or text[end] in "_-"):
                end += 1
            before = text[i - 1] if i else " "
            after = text[end] if end < len(text) else " "
            word = text[i:end].upper()
            joined = before.isalnum() or before in "_?$:@" or after == ":"
            if word in KEYWORDS and not joined:
                found.add(word)
            i = end
        elif char in "?$@" or char.isdigit() or char == "_":
            # a variable, a language tag, a number or a blank node label: skip the whole name
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] in "_-:"):
                i += 1
        else:
            i += 1
    return frozenset(found)


def _tree_keywords(tree) -> set[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name in names:
                found.add(names[node.name])
            stack.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return found


def inspect(text: str, *, update: bool = False) -> Inspection:
    """The keywords of a query (or, with ``update``, an update) found by both detectors.

    >>> inspect("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").service
    True
    >>> inspect("LOAD <file:///etc/passwd>", update=True).load
    True
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    keywords = set(scan(text))
    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except Exception:  # pyparsing raises several types; Oxigraph will give the real message
        return Inspection(frozenset(keywords), parsed=False)
    keywords |= _tree_keywords(tree)
    return Inspection(frozenset(keywords), parsed=True)
