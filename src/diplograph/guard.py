"""What a SPARQL request would reach, and how big it is, found before it runs.

:func:`check` measures the text against :class:`Limits` (size, nesting depth, triple
patterns, UNIONs, subqueries, property-path closures) in one lexical pass, before any
parser sees it: a deeply nested query overflows the stack of Oxigraph's parser (the
process dies) and rdflib's (RecursionError). :func:`inspect` finds SERVICE, LOAD and
dataset clauses (FROM), which reach other addresses or files.

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
KEYWORDS = frozenset({"SERVICE", "LOAD", "FROM"})


@dataclass(frozen=True)
class Inspection:
    """Keywords a request uses: ``SERVICE``, ``LOAD``, ``FROM``."""

    keywords: frozenset[str]
    parsed: bool  # rdflib could parse it (when False, only the lexical scan spoke)

    @property
    def service(self) -> bool:
        return "SERVICE" in self.keywords

    @property
    def load(self) -> bool:
        return "LOAD" in self.keywords

    @property
    def dataset_clause(self) -> bool:
        """``FROM`` or ``FROM NAMED``: rdflib fetches and parses the address."""
        return "FROM" in self.keywords


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

    names = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD", "DatasetClause": "FROM"}
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
    if measure(text).depth > _PARSE_DEPTH:  # rdflib's parser would recurse too deep
        return Inspection(frozenset(keywords), parsed=False)
    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except Exception:  # pyparsing raises several types; Oxigraph will give the real message
        return Inspection(frozenset(keywords), parsed=False)
    keywords |= _tree_keywords(tree)
    return Inspection(frozenset(keywords), parsed=True)


#: nesting past which rdflib's parser is not asked (it recurses per level)
_PARSE_DEPTH = 40


@dataclass(frozen=True)
class Limits:
    """How big a query may be; each limit is checked lexically before any parser runs.

    Attributes:
        max_chars: characters of query text.
        max_depth: nesting of ``{ }``, ``( )`` and ``[ ]``.
        max_triples: triple patterns (counted as the patterns and ``.``, ``;``, ``,``
            separators inside groups: an upper bound).
        max_unions: ``UNION`` keywords.
        max_subqueries: ``SELECT`` keywords past the first.
        max_closures: property-path closures (``*`` or ``+`` after a path element).
        max_negated_closures: closures over a path that holds a negated property set
            (``(<p>|!<p>)*`` follows nearly every edge: a reachability over the whole
            graph).
        max_operators: operator signs (``+ - * / | ^ ! && || = < >``...): a chain of a few
            thousand ``1+1+...`` or ``<p>/<p>/...`` overflows Oxigraph's stack unnested.
    """

    max_chars: int = 20000
    max_depth: int = 30
    max_triples: int = 200
    max_unions: int = 50
    max_subqueries: int = 10
    max_closures: int = 8
    max_negated_closures: int = 0
    max_operators: int = 500


@dataclass(frozen=True)
class Measure:
    """What :func:`measure` counted in a query's text."""

    chars: int
    depth: int
    triples: int
    unions: int
    subqueries: int
    closures: int
    negated_closures: int
    operators: int


class TooLarge(ValueError):
    """A query past one of its :class:`Limits`; the message names the limit and the
    ``serve`` option that sets it (``field`` names the :class:`Limits` field)."""

    def __init__(self, field: str, value: int, limit: int) -> None:
        _, what, option = _CHECKS[field]
        self.field, self.value, self.limit, self.what = field, value, limit, what
        super().__init__(f"the query has {value} {what}; the limit is {limit} ({option})")

    @property
    def reason(self) -> str:
        """The message without the option."""
        return f"the query has {self.value} {self.what}; the limit is {self.limit}"


#: limit field -> (measure field, what it counts, the serve option that sets it)
_CHECKS = {
    "max_chars": ("chars", "characters", "--max-query-chars"),
    "max_depth": ("depth", "levels of nesting", "--max-query-depth"),
    "max_triples": ("triples", "triple patterns", "--max-triple-patterns"),
    "max_unions": ("unions", "UNIONs", "--max-unions"),
    "max_subqueries": ("subqueries", "subqueries", "--max-subqueries"),
    "max_closures": ("closures", "property-path closures (* or +)", "--max-path-closures"),
    "max_negated_closures": (
        "negated_closures",
        "closures over a negated property set (!)",
        "--max-negated-closures",
    ),
    "max_operators": ("operators", "operator signs", "--max-operators"),
}


def measure(text: str) -> Measure:
    """Count what :class:`Limits` bounds, in one pass that skips comments, strings and IRIs.

    >>> m = measure("SELECT * { ?s ?p ?o . { ?s (<p>|!<p>)* ?o } UNION { ?s <q>+ ?o } }")
    >>> (m.depth, m.unions, m.closures, m.negated_closures)
    (3, 1, 2, 1)
    """
    depth = deepest = braces = separators = groups = unions = selects = 0
    closures = negated = operators = 0
    opened: list[bool] = []  # per open bracket: whether a ! appeared inside it
    previous = ""  # the last token: "iri", "name", "(" / ")" (a bracket), "!", "var", ...
    negated_token = False  # the last token is negated (follows a !) or a group holding a !
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline + 1
            continue
        after_bang = previous == "!"
        token, negated_now = char, after_bang
        if char in "\"'":
            i, token = _end_of_string(text, i), "string"
        elif char == "<" and _end_of_iri(text, i) is not None:
            i, token = _end_of_iri(text, i), "iri"
        elif char in "?$":
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                i += 1
            token = "var"
        elif char.isalnum() or char in "_:":
            start = i
            while i < len(text) and (text[i].isalnum() or text[i] in "_-:."):
                i += 1
            while i - 1 > start and text[i - 1] == ".":  # a pattern's "." is no part of it
                i -= 1
            word = text[start:i].upper()
            token = "name" if ":" in word or word == "A" else "word"
            unions += word == "UNION"
            selects += word == "SELECT"
        else:
            i += 1
            operators += char in "+-*/|^!&=<>"
            if char in "{([":
                depth += 1
                deepest = max(deepest, depth)
                if char == "{":
                    braces += 1
                    groups += 1
                opened.append(after_bang)
            elif char in "})]":
                depth = max(0, depth - 1)
                negated_now = opened.pop() if opened else False
                if negated_now and opened:
                    opened[-1] = True
                token = ")" if char == ")" else char
            elif char == "!" and text[i : i + 1] != "=":
                if opened:
                    opened[-1] = True
            elif char in ".;," and braces:
                separators += 1
            elif char in "*+" and previous in {"iri", "name", ")"}:
                closures += 1
                negated += negated_token
        previous, negated_token = token, negated_now
    return Measure(
        chars=len(text),
        depth=deepest,
        triples=separators + groups,
        unions=unions,
        subqueries=max(0, selects - 1),
        closures=closures,
        negated_closures=negated,
        operators=operators,
    )


def check(text: str, limits: Limits) -> Measure:
    """Measure ``text`` and refuse it when it passes one of ``limits``.

    Raises:
        TooLarge: naming the first limit passed, its value and the option that sets it.

    >>> try:
    ...     check("SELECT * {" * 3 + "}" * 3, Limits(max_depth=2))
    ... except TooLarge as exc:
    ...     print(exc.reason)
    the query has 3 levels of nesting; the limit is 2
    """
    if len(text) > limits.max_chars:  # before counting anything else in a huge text
        raise TooLarge("max_chars", len(text), limits.max_chars)
    counted = measure(text)
    for name, (field, _, _) in _CHECKS.items():
        value, limit = getattr(counted, field), getattr(limits, name)
        if value > limit:
            raise TooLarge(name, value, limit)
    return counted
