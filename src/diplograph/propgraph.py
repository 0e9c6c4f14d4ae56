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
- one node per post (``org:Membership``; label ``Post``; ``iri``, ``role``, ``date``,
  ``document``);
- relationships ``SOURCE`` and ``TARGET`` (event -> actor), ``LOCATION`` (event -> actor or
  place), ``HOLDS`` (person -> post), ``IN`` (post -> organization or state).

Every event of the graph is a node (the events table's ``--min-confidence`` cut is left to the
user: ``WHERE e.confidence >= 0.25``). Rows stream from the SPARQL engine (from a store, row
by row from Oxigraph) and the CSV and Cypher writers write them as they come.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Dataset

from diplograph.errors import error
from diplograph.query import on_oxigraph, run_query

#: the property-graph formats of ``diplograph export --format``
PG_FORMATS = ("graphml", "neo4j", "cypher")

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
KINDS = {"Actor": ACTOR_PROPERTIES, "Event": EVENT_PROPERTIES, "Post": POST_PROPERTIES}
RELATIONSHIP_TYPES = ("SOURCE", "TARGET", "LOCATION", "HOLDS", "IN")

_PREFIXES = """PREFIX dgo: <https://w3id.org/diplograph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_ACTORS = (
    _PREFIXES
    + """SELECT ?node ?class ?label ?code ?geonames
WHERE {
  VALUES (?type ?class) {
    (dgo:State "State") (dgo:Person "Person") (dgo:Organization "Organization") (dgo:Place "Place")
  }
  ?node a ?type .
  OPTIONAL { ?node skos:prefLabel ?label }
  OPTIONAL { ?node dgo:isoAlpha3 ?code }
  OPTIONAL { ?node dgo:geonamesId ?geonames }
}
ORDER BY ?node ?class ?label ?code ?geonames
"""
)

_EVENTS = (
    _PREFIXES
    + """SELECT ?node ?label ?category ?subtype ?date ?negated ?modality ?confidence ?doc
       ?start ?end ?evidence
WHERE {
  ?node a dgo:Event ;
        a ?class .
  ?class dgo:ploverCategory ?category .
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node a ?subclass . ?subclass dgo:subtypeKey ?subtype }
  OPTIONAL { ?node dgo:date ?date }
  OPTIONAL { ?node dgo:negated ?negated }
  OPTIONAL { ?node dgo:modality/skos:notation ?modality }
  OPTIONAL { ?node dgo:confidence ?confidence }
  OPTIONAL { ?node prov:wasDerivedFrom/dcterms:identifier ?doc }
  OPTIONAL {
    {
      SELECT ?node (MIN(?offset) AS ?start)
      WHERE { ?node dgo:evidence/dgo:startOffset ?offset }
      GROUP BY ?node
    }
    ?node dgo:evidence ?sentence .
    ?sentence dgo:startOffset ?start ; dgo:text ?evidence .
    OPTIONAL { ?sentence dgo:endOffset ?end }
  }
}
ORDER BY ?node
"""
)

_POSTS = (
    _PREFIXES
    + """SELECT ?node ?role ?date ?doc
WHERE {
  ?node a org:Membership .
  OPTIONAL { ?node org:role/skos:prefLabel ?role }
  OPTIONAL { ?node dcterms:date ?date }
  OPTIONAL { ?node prov:wasDerivedFrom/dcterms:identifier ?doc }
}
ORDER BY ?node
"""
)

# relationships, one query a type: their ends are nodes of the view (an actor end of no
# actor class is left out)
_ACTOR_END = "VALUES ?class {{ dgo:State dgo:Person dgo:Organization dgo:Place }} ?{end} a ?class ."
_EDGE = _PREFIXES + "SELECT DISTINCT ?start ?end WHERE {{ {pattern} }} ORDER BY ?start ?end\n"
_EDGES = {
    "SOURCE": "?start a dgo:Event ; dgo:source ?end . " + _ACTOR_END.format(end="end"),
    "TARGET": "?start a dgo:Event ; dgo:target ?end . " + _ACTOR_END.format(end="end"),
    "LOCATION": "?start a dgo:Event ; dgo:location ?end . " + _ACTOR_END.format(end="end"),
    "HOLDS": "?end a org:Membership ; org:member ?start . " + _ACTOR_END.format(end="start"),
    "IN": "?start a org:Membership ; org:organization ?end . " + _ACTOR_END.format(end="end"),
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


def _folded(rows: Iterable[dict[str, str]]) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Consecutive rows of the same ``node`` (the queries order by it), grouped."""
    current: str | None = None
    group: list[dict[str, str]] = []
    for row in rows:
        if row["node"] != current:
            if group:
                yield current, group  # type: ignore[misc]
            current, group = row["node"], []
        group.append(row)
    if group:
        yield current, group  # type: ignore[misc]


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
    for iri, group in _folded(_select(dataset, _ACTORS)):
        classes = sorted({row["class"] for row in group}, key=ACTOR_CLASSES.index)
        yield Node(iri, ["Actor", *classes], _values(iri, group, ACTOR_PROPERTIES))


def event_nodes(dataset: Dataset) -> Iterator[Node]:
    for iri, group in _folded(_select(dataset, _EVENTS)):
        category = _first(group, "category")
        labels = ["Event", _camel(category)] if category else ["Event"]
        yield Node(iri, labels, _values(iri, group, EVENT_PROPERTIES))


def post_nodes(dataset: Dataset) -> Iterator[Node]:
    for iri, group in _folded(_select(dataset, _POSTS)):
        yield Node(iri, ["Post"], _values(iri, group, POST_PROPERTIES))


def _properties(values: dict[str, str | None], types: dict[str, str]) -> dict[str, object]:
    return {name: _typed(values.get(name), kind) for name, kind in types.items()}


def nodes(dataset: Dataset) -> Iterator[Node]:
    """Every node of the view: actors, then events, then posts."""
    yield from actor_nodes(dataset)
    yield from event_nodes(dataset)
    yield from post_nodes(dataset)


def relationships(dataset: Dataset) -> Iterator[Relationship]:
    for kind, pattern in _EDGES.items():
        for row in _select(dataset, _EDGE.format(pattern=pattern)):
            yield Relationship(row["start"], kind, row["end"])


# -- GraphML ----------------------------------------------------------------------------------


def to_networkx(dataset: Dataset):
    """The view as a ``networkx.MultiDiGraph``: node ids are IRIs, ``labels`` is Neo4j's
    GraphML spelling (``:Event:Consult``), each edge's ``label`` its type."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in nodes(dataset):
        attributes = {k: v for k, v in node.properties.items() if v is not None}
        graph.add_node(node.id, labels="".join(f":{label}" for label in node.labels), **attributes)
    for edge in relationships(dataset):
        graph.add_edge(edge.start, edge.end, label=edge.type)
    return graph


def write_graphml(dataset: Dataset, output: Path) -> Path:
    """GraphML through NetworkX (typed keys: string, double, long, boolean)."""
    import networkx as nx

    from diplograph.rdf.io import atomic_output

    graph = to_networkx(dataset)
    with atomic_output(output) as temporary:
        nx.write_graphml(graph, temporary)
    return output


# -- Neo4j import CSVs ------------------------------------------------------------------------

NODE_FILES = {"Actor": "actors.csv", "Event": "events.csv", "Post": "posts.csv"}
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


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return "'" + re.sub(r"[\r\n]", " ", text) + "'"


def cypher_lines(dataset: Dataset) -> Iterator[str]:
    """An openCypher script (Neo4j, Memgraph, FalkorDB): one statement a line, MERGE on
    ``iri``, so running it twice leaves the same graph."""
    yield "// diplograph property graph: MERGE on iri (idempotent)"
    for node in nodes(dataset):
        extra = "".join(f":{label}" for label in node.labels[1:])
        settings = ", ".join(
            f"n.{name} = {_literal(value)}"
            for name, value in node.properties.items()
            if name != "iri" and value is not None
        )
        statement = f"MERGE (n:{node.kind} {{iri: {_literal(node.id)}}})"
        if extra or settings:
            statement += " SET " + ", ".join(filter(None, [f"n{extra}" if extra else "", settings]))
        yield statement + ";"
    kinds = {"SOURCE": "Event", "TARGET": "Event", "LOCATION": "Event", "HOLDS": "Actor"}
    for edge in relationships(dataset):
        start_kind = kinds.get(edge.type, "Post")
        end_kind = "Post" if edge.type == "HOLDS" else "Actor"
        yield (
            f"MATCH (a:{start_kind} {{iri: {_literal(edge.start)}}}), "
            f"(b:{end_kind} {{iri: {_literal(edge.end)}}}) MERGE (a)-[:`{edge.type}`]->(b);"
        )


def write_cypher(dataset: Dataset, handle: IO[str]) -> None:
    for line in cypher_lines(dataset):
        handle.write(line + "\n")


# -- export -----------------------------------------------------------------------------------


def export_propgraph(
    dataset: Dataset, fmt: str, output: Path | None, stdout: IO[str] | None = None
) -> Path | None:
    """Write the view of ``dataset`` in ``fmt`` (``graphml``, ``neo4j``, ``cypher``) to
    ``output`` (a folder for neo4j); cypher without ``output`` goes to ``stdout``."""
    if fmt == "neo4j":
        if output is None:
            raise error("E039")
        return write_neo4j(dataset, output)
    if output is None:
        if fmt != "cypher" or stdout is None:
            raise error("E039")
        write_cypher(dataset, stdout)
        return None
    if output.is_dir():
        raise error("E021", path=output, detail="it is a folder")
    if fmt == "graphml":
        return write_graphml(dataset, output)
    from diplograph.rdf.io import atomic_output

    with atomic_output(output) as temporary, temporary.open("w", encoding="utf-8") as handle:
        write_cypher(dataset, handle)
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
#: the node tables each relationship type joins, for engines with a schema (LadybugDB, Kùzu)
RELATIONSHIP_ENDS = {
    "SOURCE": ("Event", "Actor"),
    "TARGET": ("Event", "Actor"),
    "LOCATION": ("Event", "Actor"),
    "HOLDS": ("Actor", "Post"),
    "IN": ("Post", "Actor"),
}


def _from_cell(value: str, kind: str) -> object:
    return None if value == "" else _typed(value, kind)


def load_ladybug(folder: Path, connection) -> dict[str, int]:
    """Load a folder of ``write_neo4j`` CSV files into an empty LadybugDB (or Kùzu) database
    through ``connection``: a node table per kind (``Actor``, ``Event``, ``Post``; the other
    labels in a ``labels`` list), a relationship table per type (quoted: ``IN`` is a
    keyword). Returns the rows loaded, by table. Those engines have one label a node, so
    the bundled Cypher queries select events by ``e.category``, not by a category label, and
    run the same on Neo4j."""
    loaded: dict[str, int] = {}
    for kind, name in NODE_FILES.items():
        types = KINDS[kind]
        columns = ", ".join(f"{prop} {_ENGINE_TYPES[types[prop]]}" for prop in types)
        connection.execute(
            f"CREATE NODE TABLE {kind}({columns}, labels STRING[], PRIMARY KEY (iri))"
        )
        values = ", ".join(f"{prop}: ${prop}" for prop in [*types, "labels"])
        statement = f"CREATE (:{kind} {{{values}}})"
        count = 0
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for row in reader:
                cells = zip(types, row[:-1], strict=True)
                parameters = {prop: _from_cell(cell, types[prop]) for prop, cell in cells}
                parameters["labels"] = row[-1].split(";")
                connection.execute(statement, parameters)
                count += 1
        loaded[kind] = count
    for kind, (start, end) in RELATIONSHIP_ENDS.items():
        connection.execute(f"CREATE REL TABLE `{kind}`(FROM {start} TO {end})")
        loaded[kind] = 0
    with (folder / RELATIONSHIPS_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for start_id, end_id, kind in reader:
            start, end = RELATIONSHIP_ENDS[kind]
            connection.execute(
                f"MATCH (a:{start} {{iri: $a}}), (b:{end} {{iri: $b}}) CREATE (a)-[:`{kind}`]->(b)",
                {"a": start_id, "b": end_id},
            )
            loaded[kind] += 1
    return loaded
