"""A property-graph view of the knowledge graph, and its writers: GraphML, Neo4j import CSVs,
an openCypher script.

The view is derived from the RDF by SPARQL (graph files or a store, any ``Dataset`` of
``diplograph.query.open_graph``), like the analyst tables of ``diplograph.export``:

- one node per actor (labels ``Actor`` plus ``State``, ``Person``, ``Organization``, ``Place``
  from the ontology classes; properties ``iri``, ``label`` (skos:prefLabel), ``iso_code``,
  ``geonames_id``);
- one node per event (labels ``Event`` plus its PLOVER category, ``Consult``...; properties
  ``iri``, ``category``, ``subtype``, ``date``, ``negated``, ``modality``, ``confidence``,
  ``evidence`` (the first sentence of the article that says it), ``document``,
  ``start_offset``, ``end_offset`` (that sentence's character offsets), ``label``);
- one node per evidence sentence (``dgo:Evidence``; label ``Evidence``; ``iri``, ``text``,
  ``document``, ``start_offset``, ``end_offset``): an event said in several sentences has an
  ``EVIDENCED_BY`` relationship to each;
- one node per post (``org:Membership``; label ``Post``; ``iri``, ``role``, ``date``,
  ``document``);
- relationships ``SOURCE`` and ``TARGET`` (event -> actor), ``LOCATION`` (event -> actor or
  place), ``EVIDENCED_BY`` (event -> evidence), ``HOLDS`` (person -> post), ``IN`` (post ->
  organization or state).

Every event of the graph is a node (the events table's ``--min-confidence`` cut is left to the
user: ``WHERE e.confidence >= 0.25``). Every writer streams: each query is paged by node IRI,
the IRIs sorted and made distinct in runs of ``RUN`` merged from temporary files, then the
rows of ``PAGE`` nodes at a time asked for and sorted here, so neither the engine nor Python
holds more than a run of IRIs and a page of rows; the CSV, Cypher and GraphML writers write
each node and relationship as it comes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from heapq import merge
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from tempfile import TemporaryFile
from typing import IO

from rdflib import Dataset

from diplograph.errors import error
from diplograph.query import on_oxigraph, run_query

#: the property-graph formats of ``diplograph export --format``
PG_FORMATS = ("graphml", "neo4j", "cypher", "ladybug-cypher")

#: nodes a page: each view query is run a page of node IRIs at a time
PAGE = 2000

#: keys sorted in memory at once; beyond, sorted runs go to temporary files and are merged
RUN = 10_000

ACTOR_CLASSES = ("State", "Person", "Organization", "Place")

#: property name -> type ("string", "float", "long", "boolean") for each kind of node
ACTOR_PROPERTIES = {"iri": "string", "label": "string", "iso_code": "string", "geonames_id": "long"}
EVENT_PROPERTIES = {
    "iri": "string",
    "label": "string",
    "category": "string",
    "subtype": "string",
    "date": "string",
    "negated": "boolean",
    "modality": "string",
    "confidence": "float",
    "evidence": "string",
    "document": "string",
    "start_offset": "long",
    "end_offset": "long",
}
POST_PROPERTIES = {"iri": "string", "role": "string", "date": "string", "document": "string"}
EVIDENCE_PROPERTIES = {
    "iri": "string",
    "text": "string",
    "document": "string",
    "start_offset": "long",
    "end_offset": "long",
}
KINDS = {
    "Actor": ACTOR_PROPERTIES,
    "Event": EVENT_PROPERTIES,
    "Post": POST_PROPERTIES,
    "Evidence": EVIDENCE_PROPERTIES,
}
#: each relationship type and the kinds of node it joins
RELATIONSHIP_ENDS = {
    "SOURCE": ("Event", "Actor"),
    "TARGET": ("Event", "Actor"),
    "LOCATION": ("Event", "Actor"),
    "EVIDENCED_BY": ("Event", "Evidence"),
    "HOLDS": ("Actor", "Post"),
    "IN": ("Post", "Actor"),
}
RELATIONSHIP_TYPES = tuple(RELATIONSHIP_ENDS)

_PREFIXES = """PREFIX dgo: <https://w3id.org/diplograph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_EVENT_KEYS = "?key a dgo:Event ."


@dataclass(frozen=True)
class _Query:
    """A view query, run a page of keys at a time: ``keys`` binds ``?key`` (the node, or a
    relationship's start), ``body`` gives the rows of a page's keys (``?key`` bound by VALUES).
    The engine neither sorts nor deduplicates: the keys come sorted and distinct, a page's rows
    are sorted here."""

    keys: str
    select: str
    body: str


_ACTORS = _Query(
    keys="""VALUES ?type { dgo:State dgo:Person dgo:Organization dgo:Place } ?key a ?type .""",
    select="?key ?class ?label ?code ?geonames",
    body="""VALUES (?type ?class) {
    (dgo:State "State") (dgo:Person "Person") (dgo:Organization "Organization") (dgo:Place "Place")
  }
  ?key a ?type .
  OPTIONAL { ?key skos:prefLabel ?label }
  OPTIONAL { ?key dgo:isoAlpha3 ?code }
  OPTIONAL { ?key dgo:geonamesId ?geonames }""",
)

# an event's row for each of its evidence sentences (their IRIs: a page's sentences are
# looked up by _SENTENCES after, as Oxigraph joins a nested OPTIONAL by hash, over all events)
_EVENTS = _Query(
    keys=_EVENT_KEYS,
    select="?key ?label ?category ?subtype ?date ?negated ?modality ?confidence ?doc ?sentence",
    body="""?key a ?class .
  ?class dgo:ploverCategory ?category .
  OPTIONAL { ?key rdfs:label ?label }
  OPTIONAL { ?key a ?subclass . ?subclass dgo:subtypeKey ?subtype }
  OPTIONAL { ?key dgo:date ?date }
  OPTIONAL { ?key dgo:negated ?negated }
  OPTIONAL { ?key dgo:modality/skos:notation ?modality }
  OPTIONAL { ?key dgo:confidence ?confidence }
  OPTIONAL { ?key prov:wasDerivedFrom/dcterms:identifier ?doc }
  OPTIONAL { ?key dgo:evidence ?sentence }""",
)

_POSTS = _Query(
    keys="?key a org:Membership .",
    select="?key ?role ?date ?doc",
    body="""OPTIONAL { ?key org:role/skos:prefLabel ?role }
  OPTIONAL { ?key dcterms:date ?date }
  OPTIONAL { ?key prov:wasDerivedFrom/dcterms:identifier ?doc }""",
)

_SENTENCES = _Query(
    keys="?event a dgo:Event ; dgo:evidence ?key .",
    select="?key ?text ?doc ?start ?end",
    body="""OPTIONAL { ?key dgo:text ?text }
  OPTIONAL { ?key dgo:inDocument/dcterms:identifier ?doc }
  OPTIONAL { ?key dgo:startOffset ?start }
  OPTIONAL { ?key dgo:endOffset ?end }""",
)

# relationships, one query a type, paged by start: their ends are nodes of the view (an
# actor end of no actor class is left out)
_ACTOR_END = (
    "FILTER EXISTS {{ ?{end} a ?class . "
    "FILTER (?class IN (dgo:State, dgo:Person, dgo:Organization, dgo:Place)) }}"
)


def _edge(keys: str, body: str) -> _Query:
    return _Query(keys, "?key ?end", body)


_EDGES = {
    "SOURCE": _edge(_EVENT_KEYS, "?key dgo:source ?end . " + _ACTOR_END.format(end="end")),
    "TARGET": _edge(_EVENT_KEYS, "?key dgo:target ?end . " + _ACTOR_END.format(end="end")),
    "LOCATION": _edge(_EVENT_KEYS, "?key dgo:location ?end . " + _ACTOR_END.format(end="end")),
    "EVIDENCED_BY": _edge(_EVENT_KEYS, "?key dgo:evidence ?end ."),
    "HOLDS": _edge(_ACTORS.keys, "?end a org:Membership ; org:member ?key ."),
    "IN": _edge(
        "?key a org:Membership .", "?key org:organization ?end . " + _ACTOR_END.format(end="end")
    ),
}


@dataclass
class Node:
    """A node of the view: its id (the RDF IRI), labels (the kind's first) and properties."""

    id: str
    labels: list[str]
    properties: dict[str, object] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class Relationship:
    start: str
    type: str
    end: str


def _select(dataset: Dataset, text: str) -> Iterator[dict[str, str]]:
    """The rows of a SELECT as {variable: lexical form}, unbound ones left out. From a store
    they stream from Oxigraph one by one; from files rdflib's answer is read as it goes."""
    if on_oxigraph(dataset):
        answer = dataset.store.oxigraph.query(text)
        names = [variable.value for variable in answer.variables]
        for row in answer:
            yield {
                name: value.value
                for name, value in zip(names, row, strict=True)
                if value is not None
            }
        return
    for row in run_query(dataset, text):
        yield {str(name): str(value) for name, value in row.asdict().items()}


def _keys(dataset: Dataset, query: _Query) -> Iterator[str]:
    """The distinct keys of ``query`` in IRI order. The engine neither sorts nor deduplicates
    them (Oxigraph would hold them all, and sorts IRIs slowly): runs of ``RUN`` keys are sorted
    here, spilled to temporary files when there are more, and merged, a key met twice yielded
    once. Memory holds one run, however large the store."""
    text = f"{_PREFIXES}SELECT ?key WHERE {{ {query.keys} }}\n"
    rows = (row["key"] for row in _select(dataset, text))
    with ExitStack() as stack:
        runs: list[IO[str]] = []
        while True:
            chunk = list(islice(rows, RUN))
            run = sorted(set(chunk))
            if not runs and len(chunk) < RUN:  # one run: no file
                yield from run
                return
            handle = stack.enter_context(TemporaryFile("w+", encoding="utf-8"))
            handle.writelines(key + "\n" for key in run)  # an IRI holds no line break
            handle.seek(0)
            runs.append(handle)
            if len(chunk) < RUN:
                break
        del chunk, run
        previous = None
        for key in merge(*((line[:-1] for line in handle) for handle in runs)):
            if key != previous:
                yield key
                previous = key


def _key_pages(dataset: Dataset, query: _Query) -> Iterator[list[str]]:
    """The keys of ``query``, ``PAGE`` at a time, in IRI order."""
    keys = _keys(dataset, query)
    while page := list(islice(keys, PAGE)):
        yield page


def _rows(dataset: Dataset, query: _Query, keys: list[str]) -> list[dict[str, str]]:
    """The rows of ``query`` for a page of ``keys`` (bound by VALUES), sorted here by key (then
    end): a page of rows, never all of them."""
    values = " ".join(f"<{key}>" for key in keys)
    text = (
        f"{_PREFIXES}SELECT {query.select}\nWHERE {{\n  VALUES ?key {{ {values} }}\n"
        f"  {query.body}\n}}\n"
    )
    return sorted(_select(dataset, text), key=lambda row: (row["key"], row.get("end", "")))


def _groups(dataset: Dataset, query: _Query) -> Iterator[list[tuple[str, list[dict[str, str]]]]]:
    """For each page of keys, the rows of its nodes, grouped by node (in IRI order)."""
    for keys in _key_pages(dataset, query):
        rows = _rows(dataset, query, keys)
        yield [(key, list(group)) for key, group in groupby(rows, key=itemgetter("key"))]


def _folded(query: _Query, dataset: Dataset) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """The rows of ``query``, those of one node (``key``) grouped, in IRI order."""
    for page in _groups(dataset, query):
        yield from page


def _ends(dataset: Dataset, kind: str, keys: list[str]) -> Iterator[tuple[str, str]]:
    """The (start, end) pairs of relationship type ``kind`` from a page of starts, sorted,
    each once (the rows are sorted, so a repeated pair is next to its twin)."""
    previous = None
    for row in _rows(dataset, _EDGES[kind], keys):
        pair = (row["key"], row["end"])
        if pair != previous:
            yield pair
            previous = pair


def _first(group: list[dict[str, str]], name: str) -> str | None:
    """The smallest value the rows give ``name`` (one answer whatever the engine's order)."""
    values = [row[name] for row in group if name in row]
    return min(values) if values else None


def _typed(value: str | None, kind: str) -> object:
    if value is None:
        return None
    if kind == "float":
        return float(value)
    if kind == "long":
        return int(value)
    if kind == "boolean":
        return value.strip().lower() in ("true", "1")
    return value


def _camel(category: str) -> str:
    return category[:1].upper() + category[1:].lower()


#: the query variable of a property, where the two names differ
_VARIABLES = {
    "iso_code": "code",
    "geonames_id": "geonames",
    "document": "doc",
    "start_offset": "start",
    "end_offset": "end",
}


def _values(iri: str, group: list[dict[str, str]], types: dict[str, str]) -> dict[str, object]:
    """A node's typed properties from the query rows of its IRI."""
    values = {name: _first(group, _VARIABLES.get(name, name)) for name in types}
    return _properties({**values, "iri": iri}, types)


def actor_nodes(dataset: Dataset) -> Iterator[Node]:
    for iri, group in _folded(_ACTORS, dataset):
        classes = sorted({row["class"] for row in group}, key=ACTOR_CLASSES.index)
        yield Node(iri, ["Actor", *classes], _values(iri, group, ACTOR_PROPERTIES))


def event_nodes(dataset: Dataset) -> Iterator[Node]:
    """The events; ``evidence``, ``start_offset`` and ``end_offset`` are those of the event's
    first sentence (smallest start offset): ``evidence_nodes`` has them all."""
    sentence = {"evidence": "text", "start_offset": "start", "end_offset": "end"}
    types = {name: EVENT_PROPERTIES[name] for name in sentence}
    for batch in _groups(dataset, _EVENTS):
        iris = sorted({row["sentence"] for _, group in batch for row in group if "sentence" in row})
        found = {row["key"]: row for row in _rows(dataset, _SENTENCES, iris)} if iris else {}
        for iri, group in batch:
            category = _first(group, "category")
            labels = ["Event", _camel(category)] if category else ["Event"]
            said = [found[row["sentence"]] for row in group if row.get("sentence") in found]
            said = [row for row in said if "start" in row and "text" in row]
            first = min(said, key=lambda row: (int(row["start"]), row["text"]), default={})
            properties = _values(iri, group, EVENT_PROPERTIES)
            properties |= _properties({n: first.get(v) for n, v in sentence.items()}, types)
            yield Node(iri, labels, properties)


def post_nodes(dataset: Dataset) -> Iterator[Node]:
    for iri, group in _folded(_POSTS, dataset):
        yield Node(iri, ["Post"], _values(iri, group, POST_PROPERTIES))


def evidence_nodes(dataset: Dataset) -> Iterator[Node]:
    """The sentences events are said in (``dgo:Evidence``), one node each."""
    for iri, group in _folded(_SENTENCES, dataset):
        yield Node(iri, ["Evidence"], _values(iri, group, EVIDENCE_PROPERTIES))


def _properties(values: dict[str, str | None], types: dict[str, str]) -> dict[str, object]:
    return {name: _typed(values.get(name), kind) for name, kind in types.items()}


def nodes(dataset: Dataset) -> Iterator[Node]:
    """Every node of the view: actors, then events, then posts, then evidence sentences."""
    yield from actor_nodes(dataset)
    yield from event_nodes(dataset)
    yield from post_nodes(dataset)
    yield from evidence_nodes(dataset)


def relationships(dataset: Dataset) -> Iterator[Relationship]:
    """Every relationship, by type (``RELATIONSHIP_TYPES`` order), then start, then end."""
    for kind, query in _EDGES.items():
        for keys in _key_pages(dataset, query):
            for start, end in _ends(dataset, kind, keys):
                yield Relationship(start, kind, end)


def relationships_by_start(dataset: Dataset) -> Iterator[tuple[Relationship, int]]:
    """Every relationship with its number among those of its start and end (0, 1...: an
    event's target may also be its location), grouped by start in the order of ``nodes``
    (actors' ``HOLDS``, events', posts' ``IN``), a start's ends in the order types then ends
    first reach them: the order and edge keys of the ``MultiDiGraph`` of ``to_networkx``."""
    for start_kind in KINDS:
        kinds = [kind for kind, (start, _) in RELATIONSHIP_ENDS.items() if start == start_kind]
        if not kinds:
            continue
        for keys in _key_pages(dataset, _EDGES[kinds[0]]):  # a kind's starts share their keys
            ends: dict[str, dict[str, list[str]]] = {}
            for kind in kinds:
                for start, end in _ends(dataset, kind, keys):
                    ends.setdefault(start, {}).setdefault(end, []).append(kind)
            for start in keys:
                for end, types in ends.get(start, {}).items():
                    for number, kind in enumerate(types):
                        yield Relationship(start, kind, end), number


# -- GraphML ----------------------------------------------------------------------------------


def _labels(node: Node) -> str:
    return "".join(f":{label}" for label in node.labels)


def to_networkx(dataset: Dataset):
    """The view as a ``networkx.MultiDiGraph`` held in memory: node ids are IRIs, ``labels`` is
    Neo4j's GraphML spelling (``:Event:Consult``), each edge's ``label`` its type.
    ``write_graphml`` writes the same graph without building it."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in nodes(dataset):
        attributes = {k: v for k, v in node.properties.items() if v is not None}
        graph.add_node(node.id, labels=_labels(node), **attributes)
    for edge in relationships(dataset):
        graph.add_edge(edge.start, edge.end, label=edge.type)
    return graph


_PYTHON_TYPES = {"string": str, "float": float, "long": int, "boolean": bool}


def write_graphml(dataset: Dataset, output: Path) -> Path:
    """GraphML (typed keys: string, double, long, boolean), written as the view's pages come:
    the keys declared first from the properties of ``KINDS``, then each node, then each
    relationship (``relationships_by_start``), one element at a time; NetworkX's
    ``GraphMLWriter`` makes the key and data elements. ``networkx.read_graphml`` reads the
    graph ``to_networkx`` builds (node and edge order, edge keys and attributes the same)."""
    from xml.etree.ElementTree import tostring

    from networkx.readwrite.graphml import GraphMLWriter

    from diplograph.rdf.io import atomic_output

    writer = GraphMLWriter()
    declared = [("labels", "string")]
    declared += [(name, kind) for types in KINDS.values() for name, kind in types.items()]
    for name, kind in declared:
        writer.get_key(name, writer.get_xml_type(_PYTHON_TYPES[kind]), "node", None)
    writer.get_key("label", "string", "edge", None)

    def element(tag: str, attributes: dict[str, str], data: dict[str, object], scope: str):
        item = writer.myElement(tag, attributes)
        for name, value in data.items():
            item.append(writer.add_data(name, type(value), value, scope))
        writer.indent(item, 2)
        item.tail = None
        return "\n    " + tostring(item, encoding="unicode")

    root = tostring(writer.myElement("graphml", writer.xml.attrib), encoding="unicode")
    with (
        atomic_output(output) as temporary,
        temporary.open("w", encoding="utf-8", newline="") as handle,
    ):
        handle.write("<?xml version='1.0' encoding='utf-8'?>\n" + root[:-3] + ">")
        for key in writer.xml:  # as NetworkX writes them: the last declared first
            handle.write("\n  " + tostring(key, encoding="unicode"))
        handle.write('\n  <graph edgedefault="directed">')
        for node in nodes(dataset):
            data = {"labels": _labels(node)}
            data |= {k: v for k, v in node.properties.items() if v is not None}
            handle.write(element("node", {"id": node.id}, data, "node"))
        for edge, number in relationships_by_start(dataset):
            ends = {"source": edge.start, "target": edge.end, "id": str(number)}
            handle.write(element("edge", ends, {"label": edge.type}, "edge"))
        handle.write("\n  </graph>\n</graphml>")
    return output


# -- Neo4j import CSVs ------------------------------------------------------------------------

NODE_FILES = {
    "Actor": "actors.csv",
    "Event": "events.csv",
    "Post": "posts.csv",
    "Evidence": "evidence.csv",
}
RELATIONSHIPS_FILE = "relationships.csv"


def _header(types: dict[str, str]) -> list[str]:
    columns = []
    for name, kind in types.items():
        if name == "iri":
            columns.append("iri:ID")
        elif kind == "string":
            columns.append(name)
        else:
            columns.append(f"{name}:{kind}")
    return [*columns, ":LABEL"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_neo4j(dataset: Dataset, folder: Path) -> Path:
    """A folder of ``neo4j-admin database import full`` CSV files: ``actors.csv``,
    ``events.csv``, ``posts.csv`` (``iri:ID``, typed columns, ``:LABEL`` with ``;`` between
    labels) and ``relationships.csv`` (``:START_ID``, ``:END_ID``, ``:TYPE``), and
    ``import.sh``, the command that loads them. Rows are written as the queries give them."""
    if folder.exists() and not folder.is_dir():
        raise error("E021", path=folder, detail="it is a file; give a folder")
    folder.mkdir(parents=True, exist_ok=True)
    handles: dict[str, IO[str]] = {}
    writers = {}
    try:
        for kind, name in NODE_FILES.items():
            handles[kind] = (folder / name).open("w", encoding="utf-8", newline="")
            writers[kind] = csv.writer(handles[kind])
            writers[kind].writerow(_header(KINDS[kind]))
        for node in nodes(dataset):
            row = [_cell(node.properties.get(name)) for name in KINDS[node.kind]]
            writers[node.kind].writerow([*row, ";".join(node.labels)])
        with (folder / RELATIONSHIPS_FILE).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([":START_ID", ":END_ID", ":TYPE"])
            for edge in relationships(dataset):
                writer.writerow([edge.start, edge.end, edge.type])
    finally:
        for handle in handles.values():
            handle.close()
    (folder / "import.sh").write_text(
        "#!/bin/sh\n# Load into an empty Neo4j 5 database (stop it first), from this folder:\n"
        "neo4j-admin database import full neo4j --overwrite-destination \\\n"
        + "".join(f"  --nodes={name} \\\n" for name in NODE_FILES.values())
        + f"  --relationships={RELATIONSHIPS_FILE}\n",
        encoding="utf-8",
    )
    return folder


# -- openCypher -------------------------------------------------------------------------------


#: openCypher's string escapes, so a statement stays on one line and keeps its line breaks
#: (``\n``, ``\r``; the tests read them back from FalkorDB and LadybugDB)
_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r"})


def _literal(value: object) -> str:
    """A Cypher literal: null, a boolean, a number, or a single-quoted string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).translate(_ESCAPES) + "'"


def cypher_lines(dataset: Dataset, dialect: str = "cypher") -> Iterator[str]:
    """An openCypher script, one statement a line (a string's line breaks escaped: ``\\n``),
    MERGE on ``iri`` so running it twice leaves the same graph. ``dialect`` ``cypher``
    (Neo4j, Memgraph, FalkorDB): a node has its kind's label and its other labels
    (``SET n:Consult``). ``ladybug-cypher``
    (LadybugDB, Kùzu: a schema, one label a node): the script first creates the tables
    (``CREATE ... TABLE IF NOT EXISTS``) and the other labels go in a ``labels`` list."""
    yield "// diplograph property graph: MERGE on iri (idempotent)"
    if dialect == "ladybug-cypher":
        yield from (statement + ";" for statement in ladybug_schema())
    for node in nodes(dataset):
        extra = "".join(f":{label}" for label in node.labels[1:])
        settings = [
            f"n.{name} = {_literal(value)}"
            for name, value in node.properties.items()
            if name != "iri" and value is not None
        ]
        if dialect == "ladybug-cypher":
            settings.insert(0, f"n.labels = [{', '.join(map(_literal, node.labels))}]")
        elif extra:
            settings.insert(0, f"n{extra}")
        statement = f"MERGE (n:{node.kind} {{iri: {_literal(node.id)}}})"
        if settings:
            statement += " SET " + ", ".join(settings)
        yield statement + ";"
    for edge in relationships(dataset):
        start_kind, end_kind = RELATIONSHIP_ENDS[edge.type]
        yield (
            f"MATCH (a:{start_kind} {{iri: {_literal(edge.start)}}}), "
            f"(b:{end_kind} {{iri: {_literal(edge.end)}}}) MERGE (a)-[:`{edge.type}`]->(b);"
        )


def write_cypher(dataset: Dataset, handle: IO[str], dialect: str = "cypher") -> None:
    for line in cypher_lines(dataset, dialect):
        handle.write(line + "\n")


# -- export -----------------------------------------------------------------------------------


def export_propgraph(
    dataset: Dataset, fmt: str, output: Path | None, stdout: IO[str] | None = None
) -> Path | None:
    """Write the view of ``dataset`` in ``fmt`` (``graphml``, ``neo4j``, ``cypher``,
    ``ladybug-cypher``) to ``output`` (a folder for neo4j); a Cypher script without
    ``output`` goes to ``stdout``."""
    if fmt == "neo4j":
        if output is None:
            raise error("E039")
        return write_neo4j(dataset, output)
    if output is None:
        if fmt not in ("cypher", "ladybug-cypher") or stdout is None:
            raise error("E039")
        write_cypher(dataset, stdout, fmt)
        return None
    if output.is_dir():
        raise error("E021", path=output, detail="it is a folder")
    if fmt == "graphml":
        return write_graphml(dataset, output)
    from diplograph.rdf.io import atomic_output

    with atomic_output(output) as temporary, temporary.open("w", encoding="utf-8") as handle:
        write_cypher(dataset, handle, fmt)
    return output


def cypher_queries() -> dict[str, str]:
    """The bundled Cypher versions of the named queries, by name."""
    from importlib import resources

    folder = resources.files("diplograph") / "queries" / "cypher"
    return {
        entry.name[:-7]: entry.read_text("utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".cypher")
    }


# -- an embedded Cypher engine ----------------------------------------------------------------

_ENGINE_TYPES = {"string": "STRING", "float": "DOUBLE", "long": "INT64", "boolean": "BOOLEAN"}


def _columns(types: dict[str, str], labels: str) -> str:
    return ", ".join(
        [f"`{name}` {_ENGINE_TYPES[kind]}" for name, kind in types.items()] + [f"labels {labels}"]
    )


def ladybug_schema() -> list[str]:
    """The tables of the view in LadybugDB (or Kùzu): a node table per kind (``Actor``,
    ``Event``, ``Post``, ``Evidence``; the other labels in a ``labels`` list), a relationship
    table per type (quoted: ``IN`` is a keyword)."""
    tables = [
        f"CREATE NODE TABLE IF NOT EXISTS {kind}({_columns(types, 'STRING[]')}, PRIMARY KEY (iri))"
        for kind, types in KINDS.items()
    ]
    return tables + [
        f"CREATE REL TABLE IF NOT EXISTS `{kind}`(FROM {start} TO {end})"
        for kind, (start, end) in RELATIONSHIP_ENDS.items()
    ]


def load_ladybug(folder: Path, connection) -> dict[str, int]:
    """Load a folder of ``write_neo4j`` CSV files into an empty LadybugDB (or Kùzu) database
    through ``connection``, in bulk: the tables of ``ladybug_schema``, each filled by one
    ``COPY ... FROM (LOAD WITH HEADERS ... FROM file)`` (the relationships of a type picked
    out of ``relationships.csv`` by ``:TYPE``; ``parallel=false``, as a quoted sentence may
    hold a line break). Returns the rows loaded, by table. Those engines have one label a
    node, so the bundled Cypher queries select events by ``e.category``, not by a category
    label, and run the same on Neo4j."""
    for statement in ladybug_schema():
        connection.execute(statement)
    options = "(header=true, parallel=false)"
    for kind, name in NODE_FILES.items():
        types = KINDS[kind]
        path = _literal(str(folder / name))
        columns = ", ".join(f"`{column}`" for column in types)
        connection.execute(
            f"COPY {kind} FROM (LOAD WITH HEADERS ({_columns(types, 'STRING')}) FROM {path} "
            f"{options} RETURN {columns}, string_split(labels, ';'))"
        )
    path = _literal(str(folder / RELATIONSHIPS_FILE))
    for kind in RELATIONSHIP_ENDS:
        connection.execute(
            f"COPY `{kind}` FROM (LOAD WITH HEADERS (from_iri STRING, to_iri STRING, type STRING) "
            f"FROM {path} {options} WHERE type = {_literal(kind)} RETURN from_iri, to_iri)"
        )
    counts = {kind: f"MATCH (n:{kind}) RETURN count(n)" for kind in KINDS}
    counts |= {kind: f"MATCH ()-[r:`{kind}`]->() RETURN count(r)" for kind in RELATIONSHIP_ENDS}
    return {kind: connection.execute(text).get_all()[0][0] for kind, text in counts.items()}
