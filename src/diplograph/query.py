"""Run SPARQL over graph files or a store: named queries, bindings, and result formats."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.store import Store

from diplograph.errors import error
from diplograph.guard import Limits
from diplograph.rdf.io import read_graphs
from diplograph.vocab import ONTOLOGY_IRI, PREFIXES, bind_prefixes, ontology_graph

RESULT_FORMATS = ("table", "json", "csv", "tsv")


def open_dataset(paths: Iterable[str | Path]) -> Dataset:
    """Graph files plus the ontology (in its own named graph) so queries see the class tree."""
    dataset = read_graphs(paths)
    ontology = dataset.graph(URIRef(ONTOLOGY_IRI))
    for triple in ontology_graph():
        ontology.add(triple)
    return dataset


def open_graph(paths: Iterable[str | Path] = (), *, store: str | Path | None = None) -> Dataset:
    """What ``run_query`` and the tables read: graph files, or a store (not both).

    Both come back as an rdflib ``Dataset`` (rdflib's ``Oxigraph`` store plugin, oxrdflib)
    whose queries run on Oxigraph's SPARQL engine over a default graph holding every triple
    of every graph once, the ontology's included: so files and stores accept the same SPARQL
    and name graphs alike (``graph/ID`` for a file of one article). Files are loaded into a
    memory store (``diplograph.rdf.memory.open_store``). A store is opened read-only and
    holds its read lock (a build waits) until ``dataset.close()``.

    Raises:
        DiplographError: E029 when both are given; the errors of ``open_store`` and of
            ``diplograph.rdf.store.reading``.
    """
    paths = list(paths)
    if store is None:
        from diplograph.rdf.memory import open_store
        from diplograph.rdf.snapshot import MemoryStore

        # on Oxigraph like a store: the same SPARQL accepted, the same graph names
        return bind_prefixes(Dataset(store=MemoryStore(open_store(paths)), default_union=False))
    if paths:
        raise error("E029")
    from diplograph.rdf.snapshot import SnapshotStore

    # default_union=False: queries read the store's default graph, which the store keeps as
    # the merge of its graphs (pyoxigraph 0.5's union repeats a triple once per graph)
    return bind_prefixes(Dataset(store=SnapshotStore(store), default_union=False))


class EndpointStore(Store):
    """rdflib's stand-in for a remote SPARQL endpoint: ``run_query`` sends the queries of a
    ``Dataset`` on it to the server (SPARQL 1.1 Protocol) through ``client``."""

    graph_aware = True
    context_aware = True

    def __init__(self, client) -> None:
        super().__init__()
        self.client = client


def open_endpoint(url: str, *, user: str | None = None, password: str | None = None) -> Dataset:
    """A ``Dataset`` whose queries (``run_query``, the analyst tables) run on the SPARQL
    endpoint at ``url``, over the server's default graph.

    Raises:
        DiplographError: E035 when ``url`` is not an http(s) address.
    """
    from diplograph.remote import SparqlClient

    client = SparqlClient(url, user=user, password=password)
    return Dataset(store=EndpointStore(client), default_union=False)


def on_oxigraph(dataset: Dataset) -> bool:
    """Whether ``dataset`` is a store opened by ``open_graph`` (its queries run on Oxigraph)."""
    snapshot = sys.modules.get("diplograph.rdf.snapshot")  # not loaded: no store was opened
    return snapshot is not None and isinstance(dataset.store, snapshot.MemoryStore)


def named_queries() -> dict[str, str]:
    """The bundled named queries, by name (file stem), internal ones (``_*``) excluded."""
    folder = resources.files("diplograph") / "queries"
    return {
        entry.name[:-3]: entry.read_text("utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq") and not entry.name.startswith("_")
    }


def internal_query(name: str) -> str:
    return (resources.files("diplograph") / "queries" / f"_{name}.rq").read_text("utf-8")


def named_query(name: str, bindings: dict[str, str] | None = None) -> str:
    """The text of the bundled query ``name``; with ``bindings`` (even empty) checked
    against the bindings it declares (``check_bindings``).

    Raises:
        DiplographError: E012 for an unknown name; E045 and E046 as ``check_bindings``.
    """
    queries = named_queries()
    if name not in queries:
        raise error("E012", name=name, choices=", ".join(queries))
    if bindings is not None:
        check_bindings(name, queries[name], bindings)
    return queries[name]


#: a binding a named query declares in its header comment:
#: ``# bind: NAME (required) - what it means`` (``(optional)``, or nothing, for optional)
_BIND = re.compile(
    r"#\s*bind:\s*\??(?P<name>\w+)\s*(?:\((?P<need>required|optional)\))?\s*(?:-\s*(?P<help>.*\S))?\s*"
)


def declared_bindings(text: str) -> dict[str, tuple[bool, str]]:
    """The bindings a query declares in the comment lines that open it, by name: (whether
    it is required, what it means).

    >>> declared_bindings("# bind: name (required) - the actor's label\\nSELECT * {}")
    {'name': (True, "the actor's label")}
    """
    declared: dict[str, tuple[bool, str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break  # the header ends at the first line of SPARQL
        match = _BIND.fullmatch(line)
        if match:
            declared[match["name"]] = (match["need"] == "required", match["help"] or "")
    return declared


def _takes(declared: dict[str, tuple[bool, str]]) -> str:
    if not declared:
        return "it takes no bindings"
    return "its bindings: " + "; ".join(
        f"{name} ({'required' if required else 'optional'}{': ' + meaning if meaning else ''})"
        for name, (required, meaning) in declared.items()
    )


def check_bindings(name: str, text: str, bindings: dict[str, str]) -> None:
    """Check the bindings given to the named query ``name`` (its ``text``) against the ones
    its header declares (``declared_bindings``); a leading ``?`` or ``$`` is ignored.

    Raises:
        DiplographError: E046 for a name the query does not declare, E045 when a required
            one is missing; both list the bindings the query takes.
    """
    declared = declared_bindings(text)
    given = {key.lstrip("?$") for key in bindings}
    unknown = sorted(given - declared.keys())
    if unknown:
        raise error(
            "E046", query=name, unknown=", ".join(map(repr, unknown)), takes=_takes(declared)
        )
    missing = [key for key, (required, _) in declared.items() if required and key not in given]
    if missing:
        needed = ", ".join(f"a value for {key!r}" for key in missing)
        raise error("E045", query=name, missing=needed, takes=_takes(declared))


def _detail(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def check_query(
    text: str,
    *,
    rdflib: bool,
    allow_outbound: bool = False,
    limits: Limits | None = None,
) -> None:
    """Refuse a query past ``limits`` (checked before any parser runs: a deeply nested
    query crashes Oxigraph's), and, unless ``allow_outbound``, one that would reach other
    addresses or files: ``SERVICE`` (both engines fetch), ``LOAD``, and on rdflib
    (``rdflib``: graph files) ``FROM``/``FROM NAMED``, which rdflib fetches and parses.
    On a store, ``FROM`` only picks the store's own graphs.

    Raises:
        DiplographError: E049 past a limit (naming it), E050 for what the policy refuses.

    >>> check_query("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", rdflib=True)
    Traceback (most recent call last):
    ...
    diplograph.errors.DiplographError: E050: the SPARQL query uses FROM or FROM NAMED, \
which rdflib fetches and parses as a graph; refused by the no-outbound policy \
(allow it with --allow-outbound, or allow_outbound=True in diplograph.api.query)
    """
    from diplograph import guard

    try:
        guard.check(text, limits or Limits())
    except guard.TooLarge as exc:
        detail = f"{exc.reason} (diplograph.api.query: limits=Limits({exc.field}=N))"
        raise error("E049", detail=detail) from None
    if allow_outbound or not guard.KEYWORDS & set(guard.scan(text)):
        return  # the lexical scan never misses a keyword: rdflib's parser need not load
    found = guard.inspect(text)
    if found.service:
        raise error("E050", what="SERVICE", reach="sends a query to another address")
    if found.load:
        raise error("E050", what="LOAD", reach="reads a file or an address")
    if rdflib and found.dataset_clause:
        what, reach = "FROM or FROM NAMED", "rdflib fetches and parses as a graph"
        raise error("E050", what=what, reach=reach)


def run_query(
    dataset: Dataset,
    text: str,
    bindings: dict[str, str] | None = None,
    *,
    allow_outbound: bool = False,
    limits: Limits | None = None,
) -> Result:
    """Evaluate SPARQL; values in ``bindings`` are bound as literals, never pasted into text.

    On a store (``on_oxigraph``) the query runs on Oxigraph and the values reach it as a
    ``VALUES`` block (``with_values``). On files and stores the query is checked first
    (``check_query``: ``limits``, and the no-outbound policy unless ``allow_outbound``);
    an endpoint checks its own.
    """
    if isinstance(dataset.store, EndpointStore):
        return _run_on_endpoint(dataset.store.client, text, bindings or {})
    oxigraph = on_oxigraph(dataset)
    check_query(text, rdflib=not oxigraph, allow_outbound=allow_outbound, limits=limits)
    if oxigraph:
        return _run_on_oxigraph(dataset, text, bindings or {})
    from rdflib.plugins.sparql import prepareQuery  # graph files only: its parser is slow to load

    init = {name: Literal(value) for name, value in (bindings or {}).items()}
    try:
        prepared = prepareQuery(text, initNs=dict(dataset.namespaces()))
    except Exception as exc:  # pyparsing and rdflib raise several types
        raise error("E013", detail=_detail(exc)) from None
    try:
        result = dataset.query(prepared, initBindings=init)
        if result.type == "SELECT":
            result.bindings  # noqa: B018  (rdflib evaluates lazily: fail here, not later)
    except Exception as exc:
        raise error("E022", detail=_detail(exc)) from None
    return result


def query_store(
    path: str | Path,
    text: str,
    bindings: dict[str, str] | None = None,
    *,
    allow_outbound: bool = False,
    limits: Limits | None = None,
) -> Result:
    """``run_query`` on the store in ``path``, straight on Oxigraph under the store's read
    lock: the same answer as on ``open_graph(store=path)``, without loading rdflib's store
    plugin and SPARQL parser (what ``diplograph query --store`` starts with). Checked first
    as ``run_query`` checks (``check_query``).

    Raises:
        DiplographError: as ``diplograph.rdf.store.reading``; E013, E022, E030, E049 and
            E050 as ``run_query``.
    """
    from diplograph.rdf.store import reading

    check_query(text, rdflib=False, allow_outbound=allow_outbound, limits=limits)

    with reading(path) as store:
        return _run_on_store(store, text, bindings or {}, _prefixes())


@functools.cache
def _prefixes() -> dict[str, str]:
    """The prefixes a query on a store may use undeclared: those of ``open_graph``'s Dataset."""
    return {prefix: str(namespace) for prefix, namespace in bind_prefixes(Graph()).namespaces()}


def _run_on_oxigraph(dataset: Dataset, text: str, bindings: dict[str, str]) -> Result:
    """The query on the pyoxigraph store under the dataset's ``SnapshotStore``."""
    prefixes = {prefix: str(namespace) for prefix, namespace in dataset.namespaces()}
    return _run_on_store(dataset.store.oxigraph, text, bindings, prefixes)


def _run_on_store(store, text: str, bindings: dict[str, str], prefixes: dict[str, str]) -> Result:
    """The query on a pyoxigraph store, its answer read at once into an rdflib ``Result``
    (errors surface here, not while printing)."""
    if bindings:
        text = with_values(text, bindings)
    try:
        answer = store.query(text, prefixes=prefixes)
    except SyntaxError as exc:
        raise error("E013", detail=_detail(exc)) from None
    except Exception as exc:  # OSError, RuntimeError from the engine
        raise _engine_error(exc) from None
    try:
        return _result(answer)
    except Exception as exc:
        raise _engine_error(exc) from None


def _run_on_endpoint(client, text: str, bindings: dict[str, str]) -> Result:
    """The query sent to a SPARQL endpoint, with the project's prefixes it does not declare
    itself and the bindings as a ``VALUES`` block; its answer read into an rdflib ``Result``."""
    if bindings:
        text = with_values(text, bindings)
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([\w.-]*):", text)}
    prologue = "".join(
        f"PREFIX {prefix}: <{namespace}>\n"
        for prefix, namespace in PREFIXES.items()
        if prefix.lower() not in declared and re.search(rf"\b{prefix}:", text)
    )
    answer = client.query(prologue + text)
    media = answer.media_type
    try:
        if media in _RESULT_PARSERS:
            return Result.parse(io.BytesIO(answer.body), format=_RESULT_PARSERS[media])
        if media in _GRAPH_PARSERS:
            result = Result("CONSTRUCT")
            graph = bind_prefixes(Graph())
            graph.parse(data=answer.body, format=_GRAPH_PARSERS[media])
            result.graph = graph
            return result
    except Exception as exc:  # the parsers raise many types
        raise error("E036", url=client.url, action="a query", detail=_detail(exc)) from None
    detail = f"unexpected media type {media!r}"
    raise error("E036", url=client.url, action="a query", detail=detail)


_RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
}
_GRAPH_PARSERS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
}


def _result(answer) -> Result:
    """A pyoxigraph answer as an rdflib ``Result``, in the terms rdflib's parsers make (plain
    strings without ``^^xsd:string``); each distinct term converted once."""
    import pyoxigraph as ox

    memo: dict = {}

    def term(value):
        if value is None:
            return None
        converted = memo.get(value)
        if converted is None:
            if isinstance(value, ox.NamedNode):
                converted = URIRef(value.value)
            elif isinstance(value, ox.BlankNode):
                converted = BNode(value.value)
            elif value.language:
                converted = Literal(value.value, lang=value.language)
            elif value.datatype.value == _XSD_STRING:
                converted = Literal(value.value)
            else:
                converted = Literal(value.value, datatype=URIRef(value.datatype.value))
            memo[value] = converted
        return converted

    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
    elif isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        names = [Variable(variable.value) for variable in answer.variables]
        result.vars = names
        result.bindings = [
            {name: term(value) for name, value in zip(names, row, strict=True) if value is not None}
            for row in answer
        ]
    else:
        result = Result("CONSTRUCT")
        graph = bind_prefixes(Graph())
        for triple in answer:
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        result.graph = graph
    return result


_XSD_STRING = str(XSD.string)


def _engine_error(exc: BaseException):
    """E030 when a read-only snapshot lost files to a writer's compaction (RocksDB reports a
    missing table file), E022 for any other failure while the query runs."""
    if "No such file or directory" in str(exc):
        return error("E030", detail=_detail(exc)[:120])
    return error("E022", detail=_detail(exc))


#: what the search for a query's WHERE group steps over whole: comments, long and short
#: strings, IRIs, variables, prefixed names (``ex:construct`` is no keyword)
_OPAQUE = re.compile(
    r"""\#[^\n]*
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | "(?:[^"\\\n]|\\.)*"
    | '(?:[^'\\\n]|\\.)*'
    | <[^<>"{}|^`\\\x00-\x20]*>
    | [?$]\w+
    | (?:[^\W\d][\w.-]*)?:[\w.-]*""",
    re.VERBOSE,
)
_WORD = re.compile(r"[^\W\d]\w*")


def with_values(text: str, bindings: dict[str, str]) -> str:
    """``text`` with ``VALUES (?name ...) { ("value" ...) }`` opening its WHERE group and
    the WHERE group of each subquery.

    Every pattern and FILTER of the query, its subqueries' too, sees the values, as with
    rdflib's ``initBindings``.
    Values are plain literals written by Oxigraph's term serializer: a value cannot end the
    literal it stands in.

    >>> with_values('SELECT ?x WHERE { ?x ?p ?name }', {"name": 'say "hi"'})
    'SELECT ?x WHERE { VALUES (?name) { ("say \\\\"hi\\\\"") } ?x ?p ?name }'

    Raises:
        DiplographError: E013 for a name that is not a SPARQL variable name, or a query
            without a WHERE group.
    """
    import pyoxigraph as ox

    bindings = {name.removeprefix("?").removeprefix("$"): v for name, v in bindings.items()}
    for name in bindings:
        if not _WORD.fullmatch(name):
            raise error("E013", detail=f"cannot bind {name!r}: not a SPARQL variable name")
    starts = _where_groups(text)
    if not starts:
        raise error("E013", detail="cannot bind values: the query has no WHERE { ... } group")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(ox.Literal(value)) for value in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    for start in sorted(starts, reverse=True):
        text = text[: start + 1] + block + text[start + 1 :]
    return text


def _where_groups(text: str) -> list[int]:
    """The offsets of the ``{`` that opens the query's WHERE group and of those that open
    its subqueries' WHERE groups; empty when the query has no WHERE group."""
    groups: list[int] = []
    depth = parens = 0
    form: str | None = None
    template_next = in_template = select_next = False
    position = 0
    while position < len(text):
        opaque = _OPAQUE.match(text, position)
        if opaque and opaque.end() > position:
            position = opaque.end()
            continue
        word = _WORD.match(text, position)
        if word:
            if depth == 0:
                keyword = word.group().upper()
                if form is None and keyword in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}:
                    form = keyword
                    template_next = keyword == "CONSTRUCT"  # CONSTRUCT { template } WHERE
                else:
                    template_next = False  # CONSTRUCT WHERE { ... } has no template
            elif parens == 0 and word.group().upper() == "SELECT":
                select_next = True  # a subquery: its WHERE group opens next
            position = word.end()
            continue
        char = text[position]
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{" and parens == 0:
            if depth == 0:
                if template_next:
                    template_next, in_template = False, True
                elif not in_template and form is not None and not groups:
                    groups.append(position)
            elif select_next and groups:
                groups.append(position)
                select_next = False
            depth += 1
        elif char == "}" and parens == 0:
            depth -= 1
            if depth == 0:
                in_template = False
        position += 1
    return groups


#: a paged query's page clause: its last ``OFFSET K LIMIT N``; the ``OFFSET C LIMIT 1``
#: before it, when there is one, reads the key of the page's last row (``C = K + N - 1``)
_PAGE = re.compile(r"\bOFFSET\s+(\d+)\s+LIMIT\s+(\d+)\b", re.IGNORECASE)


def page_of(text: str) -> tuple[int, int] | None:
    """The ``(offset, limit)`` of a paged query (its last ``OFFSET K LIMIT N``), or None.

    >>> page_of("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } OFFSET 0 LIMIT 100 } }")
    (0, 100)
    """
    clauses = _page_clauses(text)
    return (int(clauses[-1].group(1)), int(clauses[-1].group(2))) if clauses else None


def with_page(
    text: str,
    *,
    offset: int | None = None,
    limit: int | None = None,
    all_rows: bool = False,
) -> str:
    """A paged query (``page_of``) set to rows ``offset + 1`` to ``offset + limit``, or to
    every row from ``offset + 1`` on (``all_rows``); None keeps the query's own value.

    The bundled listing queries choose their page in a subquery that ends with the page
    clause; a ``?cut`` subquery before it (``OFFSET K + N - 1 LIMIT 1``) reads the key of
    the page's last row, and is set to match (``LIMIT 0`` for every row: no cut).

    >>> with_page("SELECT * { { SELECT ?x { ?x ?p ?o } OFFSET 0 LIMIT 100 } }", offset=200)
    'SELECT * { { SELECT ?x { ?x ?p ?o } OFFSET 200 LIMIT 100 } }'

    Raises:
        DiplographError: E044 when the query has no page clause, ``offset`` is negative,
            ``limit`` is below 1, or both ``limit`` and ``all_rows`` are given.
    """
    option = "--all" if all_rows else "--limit" if limit is not None else "--offset"
    if all_rows and limit is not None:
        raise error("E044", option="--all", detail="give --limit N or --all, not both")
    if offset is not None and offset < 0:
        raise error("E044", option=option, detail=f"--offset {offset}: give 0 or more")
    if limit is not None and limit < 1:
        raise error("E044", option=option, detail=f"--limit {limit}: give 1 or more")
    clauses = _page_clauses(text)
    if not clauses:
        raise error("E044", option=option, detail="this query has no such clause")
    page = clauses[-1]
    offset = int(page.group(1)) if offset is None else offset
    limit = int(page.group(2)) if limit is None else limit
    edits = [(page, f"OFFSET {offset}" if all_rows else f"OFFSET {offset} LIMIT {limit}")]
    cut = clauses[-2] if len(clauses) > 1 and clauses[-2].group(2) == "1" else None
    if cut is not None:
        edits.append((cut, "LIMIT 0" if all_rows else f"OFFSET {offset + limit - 1} LIMIT 1"))
    for clause, replacement in edits:  # the page first: it comes last in the text
        text = text[: clause.start()] + replacement + text[clause.end() :]
    return text


def _page_clauses(text: str) -> list[re.Match]:
    """The ``OFFSET K LIMIT N`` clauses of ``text``, in order, outside comments, strings and
    IRIs."""
    code = []
    position = 0
    while position < len(text):
        opaque = _OPAQUE.match(text, position)
        if opaque and opaque.end() > position:
            code.append(" " * (opaque.end() - position))
            position = opaque.end()
            continue
        word = _WORD.match(text, position)
        end = word.end() if word else position + 1
        code.append(text[position:end])
        position = end
    return list(_PAGE.finditer("".join(code)))


def _cell(value) -> str:
    return "" if value is None else str(value)


#: the widest a table cell is shown by default; longer cells are cut, ending in "…"
DEFAULT_CELL_WIDTH = 60


def format_result(
    result: Result, fmt: str = "table", width: int | None = DEFAULT_CELL_WIDTH
) -> str:
    """SELECT results as an aligned table, SPARQL JSON, CSV or TSV; ASK as ``format_boolean``;
    CONSTRUCT and DESCRIBE as Turtle. ``width`` as :func:`format_table` takes it."""
    if result.type == "ASK":
        return format_boolean(bool(result.askAnswer), fmt)
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.graph.serialize(format="turtle")
    if fmt == "json":
        return result.serialize(format="json").decode() + "\n"
    if fmt == "csv":
        return result.serialize(format="csv").decode()
    if fmt == "tsv":
        return _tsv(result)
    names = [str(v) for v in result.vars]
    return format_table(names, [[_cell(row[v]) for v in result.vars] for row in result], width)


def format_table(
    names: list[str], rows: list[list[str]], width: int | None = DEFAULT_CELL_WIDTH
) -> str:
    """An aligned table with a row count: each column as wide as its widest cell, up to
    ``width`` characters (a longer cell is cut, ending in "…"); ``None`` cuts nothing.
    A line break inside a cell is shown as a space, so that each row stays one line.

    >>> rows = [["China", "CHN"], ["Democratic Korea", "PRK"]]
    >>> print(format_table(["name", "code"], rows, 8), end="")
    name     | code
    ---------+-----
    China    | CHN
    Democra… | PRK
    (2 rows)
    """
    rows = [[" ".join(cell.splitlines()) for cell in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    if width is not None:
        widths = [min(w, max(width, 1)) for w in widths]

    def line(cells: list[str]) -> str:
        return " | ".join(
            (c if len(c) <= w else c[: w - 1] + "\u2026").ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def rows_to_table(
    rows: list[dict], columns: list[str], width: int | None = DEFAULT_CELL_WIDTH
) -> str:
    """Rows of dicts as :func:`format_table` shows them; lists joined with ``|`` as in CSV."""
    cells = [[str(_csv_value(row.get(column))) for column in columns] for row in rows]
    return format_table(columns, cells, width)


#: the column an ASK answer takes in CSV and TSV (as Jena and Virtuoso write it, and the server)
ASK_COLUMN = "_askResult"


def format_boolean(answer: bool, fmt: str = "table") -> str:
    """An ASK answer: a bare ``true``/``false`` in the table format; the SPARQL 1.1 Query
    Results JSON boolean form in ``json``.

    The SPARQL 1.1 CSV/TSV results formats are defined for SELECT only; an ASK answer is
    written there as one column, ``_askResult`` (``?_askResult`` in TSV), holding ``true``
    or ``false``, as Jena and Virtuoso write it (and the server, ``diplograph serve``).

    >>> format_boolean(True, "json")
    '{"head": {}, "boolean": true}\\n'
    >>> format_boolean(False, "csv")
    '_askResult\\r\\nfalse\\r\\n'
    """
    word = "true" if answer else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}) + "\n"
    if fmt == "csv":
        return f"{ASK_COLUMN}\r\n{word}\r\n"
    if fmt == "tsv":
        return f"?{ASK_COLUMN}\n{word}\n"
    return word + "\n"


def _tsv(result: Result) -> str:
    """SPARQL 1.1 TSV: ``?name`` headers, terms in Turtle syntax (rdflib has no TSV writer)."""

    def term(value) -> str:
        if value is None:
            return ""
        return value.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines.extend("\t".join(term(row[v]) for v in result.vars) for row in result)
    return "\n".join(lines) + "\n"


def _csv_value(value) -> object:
    if isinstance(value, list):
        return "|".join("" if item is None else str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def rows_to_csv(rows: list[dict], columns: list[str], delimiter: str = ",") -> str:
    """Rows of dicts as CSV; list values joined with ``|`` (``None`` items empty), booleans
    as ``true``/``false``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return buffer.getvalue()


def rows_to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


# --- keyset paging through the index graph (diplograph.rdf.index) ---------------------------

#: the bundled listings a page of which the index graph gives (their ``_page-NAME.rq`` reads
#: the details of the page's rows)
KEYED = ("accusations", "actor", "posts", "timeline", "who-met-whom")
#: a key ``--after`` takes: the last row's date as text ("" undated), its tie (15 hex digits)
#: and, for ``actor``, its role: ``2024-04-13~0a1b2c3d4e5f607``, ``~0a1b...~source``
_KEY = re.compile(
    r"(?P<when>[0-9][0-9:T.+Z-]*|)~(?P<tie>[0-9a-f]{15})(?:~(?P<role>source|target))?"
)


@dataclass(frozen=True)
class Page:
    """A page of a bundled listing: its rows, and the key of its last row when more follow
    (pass it as ``after`` for the next page; None on the last page)."""

    result: Result
    after: str | None


def parse_key(name: str, key: str) -> tuple[str, str, str]:
    """The (when, tie, role) of a page key (``Entry.key`` in ``diplograph.rdf.index``).

    >>> parse_key("timeline", "2024-04-13~0a1b2c3d4e5f607")
    ('2024-04-13', '0a1b2c3d4e5f607', '')

    Raises:
        DiplographError: E052 for a key that is not one, or of another listing's form.
    """
    match = _KEY.fullmatch(key)
    actor = name == "actor"
    if match is None or bool(match["role"]) != actor:
        form = "DATE~TIE~ROLE (ROLE: source or target)" if actor else "DATE~TIE"
        raise error("E052", key=key, query=name, form=form)
    return match["when"], match["tie"], match["role"] or ""


_HEAD = re.compile(r"\bSELECT\s+(DISTINCT\s+)?((?:\?\w+\s+)+)WHERE", re.IGNORECASE)


@functools.cache
def page_columns(name: str) -> tuple[list[str], bool]:
    """The columns of the bundled listing ``name`` (as its ``_page-NAME.rq`` selects them)
    and whether its rows are DISTINCT."""
    head = _HEAD.search(internal_query(f"page-{name}"))
    return [v[1:] for v in head[2].split()], bool(head[1])


def index_rows(store, name: str, keys) -> dict:
    """The rows of each entry ``keys`` (``diplograph.rdf.index.Key``) of the listing ``name``
    as its ``_page-NAME.rq`` reads them on ``store`` (a scratch store of one article graph
    and the ontology, when the index is made), in the query's order: cells of
    ``[lexical form, tag]`` (tag "" a plain string, "@lang", "^DATATYPE", "<" an IRI, "_" a
    blank node) or None."""
    import pyoxigraph as ox

    before, after, columns = _indexing_query(name)
    actor = name == "actor"
    rows = []
    for key in keys:
        tied = str(ox.Literal(_md5_tie(key.node)))
        cells = [str(key.graph), str(key.node), str(ox.Literal(key.when)), tied]
        if actor:
            cells += [str(ox.Literal(key.role)), str(key.actor)]
        rows.append("(" + " ".join(cells) + ")")
    variables = "?g ?event ?when ?tie" + (" ?role ?actor" if actor else "")
    text = f"{before} VALUES ({variables}) {{ {' '.join(rows)} }}{after}"
    out: dict = {}
    by_key = {
        (k.graph.value, k.node.value, k.when, k.role, k.actor.value if k.actor else None): k
        for k in keys
    }
    for solution in store.query(text, prefixes=_prefixes()):
        graph, event, when, role, who = (
            solution[f"__{v}"] for v in ("g", "event", "when", "role", "actor")
        )
        found = (
            graph.value,
            event.value,
            when.value,
            role.value if role else "",
            who.value if who else None,
        )
        out.setdefault(by_key[found], []).append([_index_cell(solution[c]) for c in columns])
    return out


@functools.cache
def _page_size(name: str) -> int:
    """The page size the bundled listing ``name`` is written with (100)."""
    return page_of(named_queries()[name])[1]


@functools.cache
def _indexing_query(name: str) -> tuple[str, str, list[str]]:
    """``_page-NAME.rq`` cut where ``index_rows`` puts its VALUES block, its SELECT given the
    entry's own terms too (``?__event``, ...), and its columns."""
    text = internal_query(f"page-{name}")
    head = _HEAD.search(text)
    columns = [v[1:] for v in head[2].split()]
    extra = "?__g ?__event ?__when ?__role ?__actor "
    text = text[: head.start(2)] + extra + text[head.start(2) :]
    binds = " BIND (?g AS ?__g) BIND (?event AS ?__event) BIND (?when AS ?__when)"
    if name == "actor":
        binds += " BIND (?role AS ?__role) BIND (?actor AS ?__actor)"
    end = text.rindex("}", 0, text.rindex("ORDER BY"))
    text = text[:end] + binds + "\n" + text[end:]
    start = _where_groups(text)[0] + 1
    return text[:start], text[start:], columns


def _md5_tie(node) -> str:
    from diplograph.rdf.index import tie

    return tie(node)


def _index_cell(term) -> list[str] | None:
    """A pyoxigraph term as ``index_rows`` writes it."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return [term.value, "<"]
    if isinstance(term, ox.BlankNode):
        return [term.value, "_"]
    if term.language:
        return [term.value, "@" + term.language]
    if term.datatype.value == _XSD_STRING:
        return [term.value, ""]
    return [term.value, "^" + term.datatype.value]


def _term(cell: list[str] | None):
    """An ``index_rows`` cell as the rdflib term ``_result`` makes of the same term."""
    if cell is None:
        return None
    value, tag = cell
    if tag == "":
        return Literal(value)
    if tag == "<":
        return URIRef(value)
    if tag == "_":
        return BNode(value)
    if tag[0] == "@":
        return Literal(value, lang=tag[1:])
    return Literal(value, datatype=URIRef(tag[1:]))


def index_page(
    store,
    name: str,
    bindings: dict[str, str] | None = None,
    *,
    after: str | None = None,
    limit: int | None = None,
    texts: list[str] | None = None,
) -> Page | None:
    """A page of the bundled listing ``name`` read from the index graph of the pyoxigraph
    ``store``: the rows after the key ``after`` (None: the first page), ``limit`` of its
    entries (events, posts; the query's own 100 when None). None when the store holds no
    index graph of this version (``index.is_current``): the caller runs the query itself.
    The query texts run are appended to ``texts`` when given.

    Raises:
        DiplographError: E052 for a bad key; E044 for a bad ``limit``.
    """
    from diplograph.rdf import index

    key = parse_key(name, after) if after is not None else None
    if limit is not None and limit < 1:
        raise error("E044", option="--limit", detail=f"--limit {limit}: give 1 or more")
    if not index.is_current(store):
        return None
    if limit is None:
        limit = _page_size(name)
    if name == "actor":
        listings = index.actors_named(store, (bindings or {}).get("name", ""), texts)
    else:
        listings = [index.LISTINGS[name]]
    entries = index.seek(store, listings, key, limit + 1, texts)
    more = len(entries) > limit
    entries = entries[:limit]
    columns, distinct = page_columns(name)
    names = [Variable(column) for column in columns]
    memo: dict = {}
    rows, seen = [], set()
    for entry in entries:
        for cells in entry.rows:
            if distinct:
                frozen = json.dumps(cells)
                if frozen in seen:
                    continue
                seen.add(frozen)
            row = {}
            for variable, cell in zip(names, cells, strict=True):
                if cell is not None:
                    cached = memo.get((cell[0], cell[1]))
                    if cached is None:
                        cached = memo[(cell[0], cell[1])] = _term(cell)
                    row[variable] = cached
            rows.append(row)
    result = Result("SELECT")
    result.vars = names
    result.bindings = rows
    return Page(result, entries[-1].key if more else None)


def keyed_page(
    name: str,
    bindings: dict[str, str] | None = None,
    *,
    paths: Iterable[str | Path] = (),
    store: str | Path | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> Page | None:
    """``index_page`` on graph files (their memory store, which carries an index graph) or
    on the store in ``store`` (under its read lock). None when there is no index to seek in.

    Raises:
        DiplographError: as ``index_page``, ``diplograph.rdf.store.reading`` and
            ``diplograph.rdf.memory.open_store``.
    """
    paths = list(paths)
    if paths:
        from diplograph.rdf.memory import open_store

        if after is not None:
            parse_key(name, after)  # a bad key fails before the files are read
        memory = open_store(paths, indexed=True)
        return index_page(memory, name, bindings, after=after, limit=limit)
    from diplograph.rdf.store import reading

    with reading(store) as snapshot:
        return index_page(snapshot, name, bindings, after=after, limit=limit)
