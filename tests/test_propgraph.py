"""The property-graph view and its exports (GraphML, Neo4j import CSVs, Cypher) on the bundled
example graph, and the Cypher named queries on an embedded engine (LadybugDB)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph import api, propgraph
from diplograph.cli import app
from diplograph.query import open_graph

EXAMPLE = Path(__file__).resolve().parents[1] / "graphs" / "zhao-leji-pyongyang.ttl"
runner = CliRunner()


def _export(fmt: str, output: Path) -> Path:
    result = runner.invoke(app, ["export", str(EXAMPLE), "--format", fmt, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


@pytest.fixture(scope="module")
def neo4j_dir(tmp_path_factory) -> Path:
    return _export("neo4j", tmp_path_factory.mktemp("neo4j") / "import")


def test_graphml_events_match_the_events_table(tmp_path):
    """Every event of the graph is a node: as many as ``diplograph events --min-confidence 0``
    lists, and those the table lists by default (confidence >= 0.25) are the nodes above it."""
    nx = pytest.importorskip("networkx")
    graph = nx.read_graphml(_export("graphml", tmp_path / "g.graphml"))
    events = {n: d for n, d in graph.nodes(data=True) if ":Event" in d["labels"]}
    table = api.events([EXAMPLE], min_confidence=0)
    assert len(events) == len(table) == 24
    default = [d for d in events.values() if d["confidence"] >= api.DEFAULT_MIN_CONFIDENCE]
    assert len(default) == len(api.events([EXAMPLE]))
    for data in events.values():
        assert data["category"] and data["evidence"]
        assert f":{data['category'].capitalize()}" in data["labels"]
        assert isinstance(data["confidence"], float) and isinstance(data["negated"], bool)
    assert Counter(d["category"] for d in events.values()) == Counter(r["type"] for r in table)
    assert sorted(d["evidence"] for d in events.values()) == sorted(r["evidence"] for r in table)
    for start, end in graph.edges():
        assert start in graph.nodes and end in graph.nodes
    types = Counter(d["label"] for _, _, d in graph.edges(data=True))
    assert set(types) == set(propgraph.RELATIONSHIP_TYPES)
    prk = graph.nodes["https://w3id.org/diplograph/id/state/PRK"]
    assert prk["labels"] == ":Actor:State" and prk["iso_code"] == "PRK"
    assert prk["geonames_id"] == 1873107


_HEADER = re.compile(r"^(?:[A-Za-z_]\w*)?(?::(?:ID|LABEL|START_ID|END_ID|TYPE|[a-z]+(?:\[\])?))?$")
_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string"}


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_neo4j_csvs_follow_the_import_rules(neo4j_dir):
    """neo4j-admin database import's header rules: name[:type], one :ID and one :LABEL per
    nodes file, :START_ID, :END_ID and :TYPE in a relationships file, known types only; every
    row as wide as its header; every relationship end among the node ids."""
    ids: set[str] = set()
    for name in propgraph.NODE_FILES.values():
        header, rows = _read(neo4j_dir / name)
        assert all(_HEADER.match(column) for column in header), header
        assert sum(c.endswith(":ID") for c in header) == 1 and header.count(":LABEL") == 1
        for column in header:
            kind = column.partition(":")[2]
            assert kind in {"", "ID", "LABEL"} or kind in _TYPES, column
        for row in rows:
            assert len(row) == len(header)
            assert row[header.index("iri:ID")] not in ids  # ids unique across the files
            ids.add(row[header.index("iri:ID")])
        typed = {c: i for i, c in enumerate(header) if c.endswith((":float", ":long", ":boolean"))}
        for row in rows:
            for column, index in typed.items():
                if row[index] and column.endswith(":boolean"):
                    assert row[index] in ("true", "false")
                elif row[index]:
                    float(row[index])
    header, rows = _read(neo4j_dir / propgraph.RELATIONSHIPS_FILE)
    assert header == [":START_ID", ":END_ID", ":TYPE"]
    assert rows
    for start, end, kind in rows:
        assert start in ids and end in ids and kind in propgraph.RELATIONSHIP_TYPES
    _, events = _read(neo4j_dir / "events.csv")
    assert len(events) == len(api.events([EXAMPLE], min_confidence=0))
    script = (neo4j_dir / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--nodes=events.csv" in script


def test_cypher_script_merges_every_node_and_relationship(tmp_path):
    script = _export("cypher", tmp_path / "g.cypher").read_text(encoding="utf-8")
    lines = [line for line in script.splitlines() if not line.startswith("//")]
    dataset = open_graph([EXAMPLE])
    nodes = list(propgraph.nodes(dataset))
    edges = list(propgraph.relationships(dataset))
    assert len(lines) == len(nodes) + len(edges)
    assert all(line.startswith(("MERGE (n:", "MATCH (a:")) and line.endswith(";") for line in lines)
    assert sum(line.startswith("MERGE (n:Event {iri: ") for line in lines) == 24
    assert all("MERGE (a)-[:`" in line for line in lines if line.startswith("MATCH"))
    assert "n.negated = false" in script and "n.confidence = 0.95" in script


def _sparql_rows(name: str, **source) -> list[tuple]:
    def value(term):
        if term is None:
            return None
        python = term.toPython()
        return python if isinstance(python, bool) else str(term)

    answer = api.query(**(source or {"graphs": [EXAMPLE]}), named=name, all_rows=True)
    return [tuple(value(term) for term in row) for row in answer]


@pytest.mark.parametrize("name", ["who-met-whom", "timeline", "accusations"])
def test_cypher_named_queries_equal_sparql_on_ladybug(neo4j_dir, tmp_path, name):
    """The neo4j CSVs loaded into LadybugDB (embedded Kùzu fork): each bundled Cypher query
    gives the rows of its SPARQL named query (as multisets: ties are ordered differently)."""
    ladybug = pytest.importorskip("ladybug")
    database = ladybug.Database(str(tmp_path / "db"))
    connection = ladybug.Connection(database)
    loaded = propgraph.load_ladybug(neo4j_dir, connection)
    assert loaded["Event"] == 24 and loaded["Actor"] == 12 and loaded["Post"] == 5
    assert loaded["Evidence"] == 20 and loaded["EVIDENCED_BY"] == 37
    answer = connection.execute(propgraph.cypher_queries()[name])
    sparql = _sparql_rows(name)
    assert answer.get_column_names() == [str(v) for v in api.query([EXAMPLE], named=name).vars]
    rows = [tuple(row) for row in answer.get_all()]
    assert rows and sorted(rows, key=repr) == sorted(sparql, key=repr)


DGO = "https://w3id.org/diplograph/ontology#"
SENTENCE = "https://w3id.org/diplograph/id/doc/zhao-leji-pyongyang/sentence/0-174"


@pytest.fixture(scope="module")
def several(tmp_path_factory) -> Path:
    """The example graph with each accusation also said in the article's first sentence
    (0-174), so every accusation has two evidence sentences."""
    from rdflib import Graph, Namespace, URIRef

    dgo = Namespace(DGO)
    graph = Graph().parse(EXAMPLE)
    for event in list(graph.subjects(predicate=None, object=dgo.Accuse)):
        graph.add((event, dgo.evidence, URIRef(SENTENCE)))
    path = tmp_path_factory.mktemp("several") / "several.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_events_keep_every_evidence_sentence(several, tmp_path):
    """An event said in two sentences has an EVIDENCED_BY relationship to each Evidence node
    (text, offsets, document); its own evidence is the first sentence (smallest offset)."""
    nx = pytest.importorskip("networkx")
    result = runner.invoke(
        app, ["export", str(several), "--format", "graphml", "-o", str(tmp_path / "g.graphml")]
    )
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(tmp_path / "g.graphml")
    accusations = [n for n, d in graph.nodes(data=True) if ":Accuse" in d["labels"]]
    assert len(accusations) == 5
    first = graph.nodes[SENTENCE]
    assert first["labels"] == ":Evidence" and first["start_offset"] == 0
    assert first["end_offset"] == 174 and first["document"] == "zhao-leji-pyongyang"
    for event in accusations:
        sentences = [
            end for _, end, d in graph.out_edges(event, data=True) if d["label"] == "EVIDENCED_BY"
        ]
        assert len(sentences) == 2 and SENTENCE in sentences
        texts = {graph.nodes[s]["text"] for s in sentences}
        assert graph.nodes[event]["evidence"] == first["text"] and first["text"] in texts
        assert graph.nodes[event]["start_offset"] == 0
    # every event's evidence is its sentence of smallest offset
    for event, data in graph.nodes(data=True):
        if ":Event" in data["labels"]:
            ends = [
                e for _, e, d in graph.out_edges(event, data=True) if d["label"] == "EVIDENCED_BY"
            ]
            earliest = min((graph.nodes[e] for e in ends), key=lambda s: s["start_offset"])
            assert data["evidence"] == earliest["text"]
            assert data["end_offset"] == earliest["end_offset"]


def test_cypher_accusations_give_a_row_per_sentence(several, tmp_path):
    """On the graph of two-sentence accusations the SPARQL query gives a row per sentence,
    and so does the Cypher one (neo4j CSVs loaded into LadybugDB)."""
    ladybug = pytest.importorskip("ladybug")
    folder = tmp_path / "neo4j"
    result = runner.invoke(app, ["export", str(several), "--format", "neo4j", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    connection = ladybug.Connection(ladybug.Database(str(tmp_path / "db")))
    propgraph.load_ladybug(folder, connection)
    rows = connection.execute(propgraph.cypher_queries()["accusations"]).get_all()
    sparql = _sparql_rows("accusations", graphs=[several])
    assert len(sparql) == 2 * len(_sparql_rows("accusations"))  # two sentences each
    assert sorted(map(tuple, rows), key=repr) == sorted(sparql, key=repr)


def _run_script(connection, script: str) -> None:
    for line in script.splitlines():
        if line and not line.startswith("//"):
            connection.execute(line)


def test_ladybug_cypher_script_loads_in_ladybug(several, tmp_path):
    """``--format ladybug-cypher`` run statement by statement in LadybugDB, twice (MERGE:
    the second run changes nothing): the three Cypher named queries give the SPARQL rows."""
    ladybug = pytest.importorskip("ladybug")
    path = tmp_path / "g.cypher"
    result = runner.invoke(
        app, ["export", str(several), "--format", "ladybug-cypher", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    script = path.read_text(encoding="utf-8")
    connection = ladybug.Connection(ladybug.Database(str(tmp_path / "db")))
    counts = "MATCH (n) RETURN count(n) UNION ALL MATCH ()-[r]->() RETURN count(r)"
    _run_script(connection, script)
    first = connection.execute(counts).get_all()
    _run_script(connection, script)
    assert connection.execute(counts).get_all() == first
    dataset = open_graph([several])
    assert first == [
        [len(list(propgraph.nodes(dataset)))],
        [len(list(propgraph.relationships(dataset)))],
    ]
    labels = connection.execute(
        "MATCH (e:Event) WHERE e.category = 'CONSULT' RETURN DISTINCT e.labels"
    ).get_all()
    assert labels == [[["Event", "Consult"]]]
    for name in ("who-met-whom", "timeline", "accusations"):
        rows = connection.execute(propgraph.cypher_queries()[name]).get_all()
        sparql = _sparql_rows(name, graphs=[several])
        assert rows and sorted(map(tuple, rows), key=repr) == sorted(sparql, key=repr), name


def test_page_boundaries_leave_the_view_unchanged(monkeypatch, neo4j_dir, tmp_path):
    """Paged three nodes at a time, the keys sorted four at a time (runs merged from
    temporary files), the CSVs and the GraphML are those of one page and one run."""
    dataset = open_graph([EXAMPLE])
    propgraph.write_graphml(dataset, tmp_path / "one.graphml")
    monkeypatch.setattr(propgraph, "PAGE", 3)
    monkeypatch.setattr(propgraph, "RUN", 4)
    propgraph.write_neo4j(dataset, tmp_path / "paged")
    for file in [*propgraph.NODE_FILES.values(), propgraph.RELATIONSHIPS_FILE]:
        assert (tmp_path / "paged" / file).read_text() == (neo4j_dir / file).read_text(), file
    propgraph.write_graphml(dataset, tmp_path / "paged.graphml")
    assert (tmp_path / "paged.graphml").read_text() == (tmp_path / "one.graphml").read_text()


def test_keys_come_sorted_and_distinct_across_runs(monkeypatch, several):
    """A sentence said by several events is a key of several rows: merged from runs of
    three keys, each key comes once, in IRI order, as from one run."""
    dataset = open_graph([several])
    once = list(propgraph._keys(dataset, propgraph._SENTENCES))
    monkeypatch.setattr(propgraph, "RUN", 3)
    runs = list(propgraph._keys(dataset, propgraph._SENTENCES))
    assert runs == once == sorted(set(once)) and SENTENCE in once
    rows = propgraph._select(
        dataset, propgraph._PREFIXES + "SELECT ?key WHERE { " + propgraph._SENTENCES.keys + " }"
    )
    assert len(list(rows)) > len(once)  # the engine's rows repeat the shared sentence


def _read_graphml(path: Path):
    nx = pytest.importorskip("networkx")
    graph = nx.read_graphml(path, force_multigraph=True)
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


def _same_graphml(dataset, tmp_path: Path) -> tuple[list, list]:
    """The streamed GraphML reads back as NetworkX's own GraphML of ``to_networkx`` (the
    graph held in memory): the same nodes, edges, edge keys and typed attributes, in order."""
    nx = pytest.importorskip("networkx")
    nx.write_graphml(propgraph.to_networkx(dataset), tmp_path / "networkx.graphml")
    propgraph.write_graphml(dataset, tmp_path / "streamed.graphml")
    nodes, edges = _read_graphml(tmp_path / "streamed.graphml")
    assert (nodes, edges) == _read_graphml(tmp_path / "networkx.graphml")
    assert nodes and edges
    return nodes, edges


def test_graphml_streamed_reads_as_the_networkx_graph(several, tmp_path):
    """Graph of accusations said twice: an event's target that is also its location is a
    second edge between the same ends (key 1), as in the MultiDiGraph."""
    _, edges = _same_graphml(open_graph([several]), tmp_path)
    assert any(key == 1 for _, _, key, _ in edges)
    text = (tmp_path / "streamed.graphml").read_text(encoding="utf-8")
    assert text.index("<key ") < text.index("<graph ") < text.index("<node ") < text.index("<edge ")


def test_store_gives_the_same_property_graph(tmp_path, neo4j_dir):
    """From a store (rows streamed from Oxigraph) the CSVs are those of the graph files."""
    import pyoxigraph as ox
    from rdflib import Graph

    from diplograph.rdf.store import with_writer, write_graph

    store = tmp_path / "store"
    ntriples = Graph().parse(EXAMPLE).serialize(format="nt")
    name = ox.NamedNode("https://w3id.org/diplograph/id/doc/zhao-leji-pyongyang")
    with_writer(store, lambda opened: write_graph(opened, name, ntriples))
    output = tmp_path / "from-store"
    result = runner.invoke(
        app, ["export", "--store", str(store), "--format", "neo4j", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    for file in [*propgraph.NODE_FILES.values(), propgraph.RELATIONSHIPS_FILE]:
        assert (output / file).read_text() == (neo4j_dir / file).read_text(), file


@pytest.fixture(scope="module")
def dev_store(dev_extractions, tmp_path_factory) -> Path:
    """The development corpus in a store."""
    from diplograph.rdf.store import write_articles

    store = tmp_path_factory.mktemp("dev-propgraph") / "store"
    write_articles(store, dev_extractions)
    return store


@pytest.mark.model
@pytest.mark.scorer
def test_graphml_streamed_reads_as_the_networkx_graph_on_the_dev_corpus(dev_store, tmp_path):
    dataset = open_graph(store=dev_store)
    try:
        nodes, _ = _same_graphml(dataset, tmp_path)
    finally:
        dataset.close()
    assert len(nodes) > 500


@pytest.mark.model
@pytest.mark.scorer
@pytest.mark.parametrize("name", ["who-met-whom", "timeline", "accusations"])
def test_cypher_named_queries_equal_sparql_on_the_dev_corpus(dev_store, tmp_path_factory, name):
    """The development corpus in a store, exported and loaded into LadybugDB: every row of
    the Cypher query (unpaged) is a row of the SPARQL one (``--all``), row for row."""
    ladybug = pytest.importorskip("ladybug")

    work = tmp_path_factory.mktemp("dev-propgraph")
    api.export(store=dev_store, output=work / "neo4j", fmt="neo4j")
    connection = ladybug.Connection(ladybug.Database(str(work / "db")))
    propgraph.load_ladybug(work / "neo4j", connection)
    text = re.sub(r"\nLIMIT \d+\s*$", "\n", propgraph.cypher_queries()[name])
    rows = [tuple(row) for row in connection.execute(text).get_all()]
    sparql = _sparql_rows(name, store=dev_store)
    assert len(rows) > 10
    assert sorted(rows, key=repr) == sorted(sparql, key=repr)
