"""Pushing graphs into real triple stores (Virtuoso 7, an Oxigraph server) and querying them.

The ``external`` tests start the servers (tests/servers.py) and compare what the server
holds, read back graph by graph with ``CONSTRUCT``, with the local graphs up to blank-node
renaming. The others test the parts that need no server.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from typer.testing import CliRunner

from diplograph import api
from diplograph.cli import app
from diplograph.errors import DiplographError
from diplograph.push import MANIFEST_GRAPH, Protocol, Remote, batches
from diplograph.query import declared_bindings, named_queries, page_of
from diplograph.rdf import store as stores
from diplograph.remote import NTRIPLES, SparqlClient
from diplograph.vocab import ONTOLOGY_IRI
from servers import (
    PASSWORD,
    PUSHER,
    PUSHER_PASSWORD,
    OxigraphServer,
    Virtuoso,
    basic_auth_proxy,
    free_port,
    running_server,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
EXAMPLE_NAME = "https://w3id.org/diplograph/id/graph/zhao-leji-pyongyang"


def cli(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


# --- helpers ----------------------------------------------------------------------------------


class Target:
    """One server as the tests use it: where to push with each protocol, where to query."""

    def __init__(self, server, *, user: str | None, password: str | None) -> None:
        self.server = server
        self.user, self.password = user, password
        self.query_url = server.sparql
        self.update_url = getattr(server, "update", server.sparql)

    def remote(self, protocol: Protocol = Protocol.gsp) -> Remote:
        if protocol is Protocol.gsp:
            return Remote(self.server.gsp, protocol, user=self.user, password=self.password)
        return Remote(
            self.update_url,
            protocol,
            query_endpoint=self.query_url,
            user=self.user,
            password=self.password,
        )

    def client(self) -> SparqlClient:
        return SparqlClient(self.query_url, user=self.user, password=self.password)

    def endpoint(self) -> api.Endpoint:
        return api.Endpoint(self.query_url, user=self.user, password=self.password)

    def graph(self, name: str) -> Graph:
        """The named graph ``name`` on the server, read back with CONSTRUCT."""
        text = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <" + name + "> { ?s ?p ?o } }"
        answer = self.client().query(text, accept=NTRIPLES)
        graph = Graph()
        graph.parse(data=answer.body.decode("utf-8"), format="nt")
        return graph

    def count(self, names) -> int:
        """How many triples the graphs ``names`` hold on the server, together."""
        values = " ".join(f"<{name}>" for name in names)
        text = (
            "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?g { " + values + " } GRAPH ?g { ?s ?p ?o } }"
        )
        answer = self.client().query(text, accept="application/sparql-results+json")
        import json

        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])

    def wipe_all(self) -> None:
        """Drop every graph the tests may have pushed (Virtuoso's own graphs stay)."""
        answer = self.client().query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            accept="application/sparql-results+json",
        )
        import json

        names = [row["g"]["value"] for row in json.loads(answer.body)["results"]["bindings"]]
        ours = ("https://w3id.org/diplograph/", "http://example.org/")
        self.wipe([name for name in names if name.startswith(ours)])

    def wipe(self, names) -> None:
        """Drop the graphs ``names`` and the push manifest."""
        client = SparqlClient(self.update_url, user=self.user, password=self.password)
        drops = [f"DROP SILENT GRAPH <{name}>" for name in [*names, MANIFEST_GRAPH]]
        client.update(" ;\n".join(drops))


def local_graphs(source: ox.Store, names=None) -> dict[str, Graph]:
    """The named graphs of a pyoxigraph store as rdflib graphs (Oxigraph's literal forms)."""
    graphs = {}
    for name in source.named_graphs():
        if names is not None and name.value not in names:
            continue
        triples = [q.triple for q in source.quads_for_pattern(None, None, None, name)]
        graph = Graph()
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        graphs[name.value] = graph
    return graphs


def example_graphs() -> dict[str, Graph]:
    from diplograph.vocab import ontology_path

    memory = ox.Store()
    memory.load(
        path=str(EXAMPLE_GRAPH), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(EXAMPLE_NAME)
    )
    memory.load(
        path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_IRI)
    )
    return local_graphs(memory)


def assert_server_holds(target: Target, expected: dict[str, Graph]) -> None:
    for name, graph in sorted(expected.items()):
        remote = target.graph(name)
        if not isomorphic(remote, graph):
            _, local_only, remote_only = graph_diff(to_isomorphic(graph), to_isomorphic(remote))
            pytest.fail(
                f"{name}: {len(graph)} local, {len(remote)} on the server; "
                f"local only {sorted(local_only)[:3]}, server only {sorted(remote_only)[:3]}"
            )


# --- without a server ---------------------------------------------------------------------------


def test_push_batches_keep_triples_with_a_blank_node_together():
    lines = [f"<x:s> <x:p> <x:o{i}> ." for i in range(5)]
    lines += ["_:a <x:p> _:b .", "<x:s> <x:q> _:b .", "_:c <x:p> <x:o> .", "_:b <x:r> _:c ."]
    result = batches(lines, 2)
    assert sorted(line for batch in result for line in batch) == sorted(lines)
    blank = [batch for batch in result if any("_:" in line for line in batch)]
    assert len(blank) == 1 and len(blank[0]) == 4  # one component, over the batch size
    assert all(len(batch) <= 2 for batch in result if batch is not blank[0])


def test_push_plans_graph_names_from_files(tmp_path):
    from diplograph.push import _plan, _source

    trig = tmp_path / "two.trig"
    trig.write_text(
        "<http://e/s> <http://e/p> 1 .\nGRAPH <http://e/g> { <http://e/s> <http://e/p> 2 }\n"
    )
    with _source([EXAMPLE_GRAPH, trig], None, True) as (local, names):
        plan = list(_plan(local, names, "http://example.org/news/", {}))
    targets = [p.target for p in plan]
    assert targets == [
        "http://e/g",
        "http://example.org/news/two",  # the TriG file's default graph, named after the file
        "http://example.org/news/zhao-leji-pyongyang",  # the article the Turtle file holds
        ONTOLOGY_IRI,  # last
    ]
    example_triples = len(Graph().parse(EXAMPLE_GRAPH))
    assert plan[2].label == "article 'zhao-leji-pyongyang'"
    assert plan[2].triples == example_triples
    assert all(p.digest.startswith("sha256:") and not p.unchanged for p in plan)
    with _source([EXAMPLE_GRAPH], None, True) as (local, names):  # blank nodes: same hash
        again = list(_plan(local, names, "http://example.org/news/", {}))
    assert again[-1].digest == plan[-1].digest
    ontology = ROOT / "ontology" / "diplomacy.ttl"
    with _source([ontology], None, True) as (local, names):  # the ontology alone, once
        (alone,) = _plan(local, names, "http://example.org/news/", {})
    assert (alone.target, alone.digest) == (ONTOLOGY_IRI, plan[-1].digest)


def test_push_to_nothing_listening_is_one_clear_error():
    url = f"http://127.0.0.1:{free_port()}/store"
    result = cli("push", EXAMPLE_GRAPH, "--endpoint", url)
    assert result.exit_code == 4  # a remote service failed
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"diplograph: error: {url}: cannot reach the server")
    assert "connection refused" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--endpoint", "ftp://x/y"], "not an endpoint address"),
        (["--endpoint", "http://127.0.0.1:1/s", "--graph-prefix", "news/"], "--graph-prefix"),
        (["--endpoint", "http://127.0.0.1:1/s", "--store", "s"], "not both"),
    ],
)
def test_push_bad_options_are_one_line(args, expected):
    result = cli("push", EXAMPLE_GRAPH, *args)
    assert result.exit_code == 2
    assert expected in result.output and len(result.output.strip().splitlines()) == 1


def test_query_endpoint_and_files_together_is_an_error():
    result = cli("events", EXAMPLE_GRAPH, "--endpoint", "http://127.0.0.1:1/sparql")
    assert result.exit_code == 2 and "one of them" in result.output


# --- the servers --------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def target(request) -> Target:
    if request.param == "virtuoso":
        return Target(request.getfixturevalue("virtuoso"), user="dba", password=PASSWORD)
    return Target(request.getfixturevalue("oxigraph_server"), user=None, password=None)


@pytest.fixture(scope="module")
def dev_store(dev_extractions, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("push-dev") / "store"
    stores.write_articles(path, dev_extractions)
    return path


def dev_graphs(path: Path) -> dict[str, Graph]:
    """The graphs a push of the store sends: all but its index graph (the store's own)."""
    from diplograph.rdf.index import INDEX_IRI

    with stores.reading(path) as opened:
        graphs = local_graphs(opened)
    assert INDEX_IRI in graphs  # the store has one, and push leaves it out
    del graphs[INDEX_IRI]
    return graphs


@pytest.mark.external
@pytest.mark.parametrize("protocol", list(Protocol))
def test_push_example_reads_back_identical_and_pushing_again_changes_nothing(target, protocol):
    expected = example_graphs()
    target.wipe(expected)
    report = api.push([EXAMPLE_GRAPH], remote=target.remote(protocol), batch_size=500)
    assert (report.sent, report.skipped) == (2, 0)
    assert_server_holds(target, expected)
    count = target.count(expected)
    assert count == sum(len(g) for g in expected.values())
    again = api.push([EXAMPLE_GRAPH], remote=target.remote(protocol))
    assert (again.sent, again.skipped, again.requests) == (0, 2, 1)  # one manifest read
    forced = api.push([EXAMPLE_GRAPH], remote=target.remote(protocol), force=True, batch_size=100)
    assert forced.sent == 2
    assert target.count(expected) == count  # replaced, not added
    assert_server_holds(target, expected)


@pytest.mark.external
@pytest.mark.model
@pytest.mark.parametrize("protocol", list(Protocol))
def test_push_dev_store_reads_back_identical_and_answers_the_same_tables(
    target, protocol, dev_store
):
    expected = dev_graphs(dev_store)
    target.wipe_all()  # the tables read every graph on the server
    report = api.push(store=dev_store, remote=target.remote(protocol), batch_size=200)
    assert report.sent == len(expected) > 20
    assert_server_holds(target, expected)
    count = target.count(expected)
    assert api.push(store=dev_store, remote=target.remote(protocol)).sent == 0
    assert target.count(expected) == count
    endpoint = target.endpoint()
    assert api.events(endpoint=endpoint) == api.events(store=dev_store)
    assert api.entities(endpoint=endpoint) == api.entities(store=dev_store)


def named_query_cases(store: Path) -> list[tuple[str, dict[str, str]]]:
    """Every bundled named query with its bindings: one that takes ``name`` gets the label
    the events of ``store`` name most often as a side, as written and in lower case."""
    sides = Counter(
        label for row in api.events(store=store) for label in row["source"] + row["target"]
    )
    name = sides.most_common(1)[0][0]
    cases: list[tuple[str, dict[str, str]]] = []
    for query, text in named_queries().items():
        if "name" in declared_bindings(text):
            cases += [(query, {"name": name}), (query, {"name": name.lower()})]
        else:
            cases.append((query, {}))
    return cases


def assert_named_queries_answer_as_the_store(endpoint: api.Endpoint, store: Path) -> None:
    """Each named query (``named_query_cases``), every row (``--all``) and one page from the
    middle, gives the server the same rows in the same order as the store."""
    for query, bindings in named_query_cases(store):
        paged = page_of(named_queries()[query]) is not None
        for option in [{"all_rows": True}, {"offset": 3, "limit": 5}] if paged else [{}]:
            local = [
                tuple(row)
                for row in api.query(named=query, bindings=bindings, store=store, **option)
            ]
            remote = [
                tuple(row)
                for row in api.query(named=query, bindings=bindings, endpoint=endpoint, **option)
            ]
            assert local, f"{query} {bindings} {option}: no rows in the store"
            differing = [i for i, (r, s) in enumerate(zip(remote, local, strict=False)) if r != s]
            first = differing[0] if differing else min(len(remote), len(local))
            assert remote == local, (
                f"{query} {bindings} {option}: {len(remote)} rows on the server, {len(local)} "
                f"in the store; row {first}: {remote[first : first + 1]} on the server, "
                f"{local[first : first + 1]} in the store"
            )


@pytest.mark.external
@pytest.mark.model
def test_push_dev_store_answers_every_named_query_row_for_row(target, dev_store):
    # the article graphs repeat actor labels and codes: a server's union default graph gives
    # such a triple once per graph, and rows multiplied before the queries used GRAPH
    target.wipe_all()
    api.push(store=dev_store, remote=target.remote())
    endpoint = target.endpoint()
    assert_named_queries_answer_as_the_store(endpoint, dev_store)
    assert api.events(endpoint=endpoint) == api.events(store=dev_store)
    assert api.entities(endpoint=endpoint) == api.entities(store=dev_store)


@pytest.mark.external
@pytest.mark.model
def test_named_queries_answer_on_an_oxigraph_server_without_union_default_graph(
    plain_oxigraph_server, dev_store
):
    plain = Target(plain_oxigraph_server, user=None, password=None)
    plain.wipe_all()
    api.push(store=dev_store, remote=plain.remote())
    endpoint = plain.endpoint()
    assert_named_queries_answer_as_the_store(endpoint, dev_store)  # they match in GRAPH ?g
    # the tables read the default graph, empty there (docs/push.md)
    assert api.events(endpoint=endpoint) == [] and api.entities(endpoint=endpoint) == []


@pytest.mark.external
def test_push_ontology_answers_class_hierarchy_queries(target):
    api.push([EXAMPLE_GRAPH], remote=target.remote())
    text = (
        "SELECT ?class WHERE { GRAPH <" + ONTOLOGY_IRI + "> { "
        "?class rdfs:subClassOf* dgo:Consult } } ORDER BY ?class"
    )
    result = api.query(text=text, endpoint=target.endpoint())
    names = {str(row[0]).rsplit("#", 1)[-1] for row in result}
    assert {"Consult", "Meeting", "Visit", "Summit", "Talks"} <= names
    assert "Accusation" not in names


@pytest.mark.external
def test_cli_query_and_events_over_an_endpoint(target):
    target.wipe_all()  # the tables read every graph on the server
    api.push([EXAMPLE_GRAPH], remote=target.remote())
    auth = ["--user", target.user, "--password", target.password] if target.user else []
    remote = cli("query", "--endpoint", target.query_url, *auth, "--named", "who-met-whom")
    local = cli("query", EXAMPLE_GRAPH, "--named", "who-met-whom")
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output  # the same rows in the same order (a hash breaks ties)
    for options in (["--limit", "2", "--offset", "1"], ["--all"]):
        paged = cli(
            "query", "--endpoint", target.query_url, *auth, "--named", "accusations", *options
        )
        assert (
            paged.output == cli("query", EXAMPLE_GRAPH, "--named", "accusations", *options).output
        )
    remote = cli("events", "--endpoint", target.query_url, *auth, "--format", "csv")
    assert remote.exit_code == 0, remote.output
    assert remote.output == cli("events", EXAMPLE_GRAPH, "--format", "csv").output


@pytest.mark.external
@pytest.mark.parametrize("server_kind", [Virtuoso, OxigraphServer], ids=lambda k: k.name)
@pytest.mark.parametrize("protocol", list(Protocol))
def test_push_interrupted_then_resumed_ends_as_a_clean_push(
    server_kind, protocol, tmp_path, monkeypatch
):
    """The server is killed (SIGKILL) just before the 9th request of the push; it comes back
    on the same data, and the same push again completes it, skipping the finished graphs."""
    expected = example_graphs()
    extra = tmp_path / "more.nq"
    quads = []
    for number in range(6):  # six more small graphs, so the push has several to resume
        graph = f"http://example.org/graph/{number}"
        triples = [f'<http://e/s{i}> <http://e/p> "{number}-{i}"' for i in range(40)]
        expected[graph] = Graph().parse(data=" .\n".join(triples) + " .", format="nt")
        quads += [f"{triple} <{graph}> ." for triple in triples]
    extra.write_text("\n".join(quads) + "\n")
    with running_server(server_kind, tmp_path / "server") as server:
        is_virtuoso = server_kind is Virtuoso
        target = Target(server, user="dba" if is_virtuoso else None, password=PASSWORD)
        sent = []
        original = SparqlClient._send

        def send(self, method, url, *args):
            sent.append(method)
            if len(sent) == 9:
                server.kill()
            return original(self, method, url, *args)

        monkeypatch.setattr(SparqlClient, "_send", send)
        with pytest.raises(DiplographError) as caught:
            api.push([EXAMPLE_GRAPH, extra], remote=target.remote(protocol), batch_size=30)
        monkeypatch.undo()
        assert caught.value.code == "E037"
        # the 9th request writes a graph or the manifest, as the graphs' order falls
        assert re.search(
            r"cannot reach the server while writing (graph <|the push manifest)",
            caught.value.message,
        )
        assert "run the same command again to resume" in caught.value.message
        server.start()
        resumed = api.push([EXAMPLE_GRAPH, extra], remote=target.remote(protocol), batch_size=30)
        assert resumed.skipped > 0 and resumed.sent > 0
        assert resumed.sent + resumed.skipped == len(expected)
        assert_server_holds(target, expected)
        assert target.count(expected) == sum(len(g) for g in expected.values())
        final = api.push([EXAMPLE_GRAPH, extra], remote=target.remote(protocol))
        assert final.sent == 0


@pytest.mark.external
def test_push_to_virtuoso_errors_are_one_line_and_leave_nothing(virtuoso):
    name = "http://example.org/errors/zhao-leji-pyongyang"
    prefix = ["--graph-prefix", "http://example.org/errors/", "--no-ontology"]
    cases = [
        (["--endpoint", virtuoso.gsp, "--user", "dba", "--password", "wrong"], "HTTP 401"),
        (["--endpoint", virtuoso.gsp], "HTTP 401"),  # no credentials at all
        (
            [
                "--endpoint",
                virtuoso.base + "/no-such-service",
                "--user",
                "dba",
                "--password",
                PASSWORD,
            ],
            "the server answered HTTP 501",  # its 404 reads as "no manifest yet"
        ),
    ]
    for args, expected in cases:
        result = cli("push", EXAMPLE_GRAPH, *prefix, *args)
        assert result.exit_code == 4, result.output  # the server refused
        (line,) = result.output.strip().splitlines()
        assert line.startswith("diplograph: error: http://127.0.0.1:") and expected in line, line
    target = Target(virtuoso, user="dba", password=PASSWORD)
    assert target.count([name]) == 0


@pytest.mark.external
def test_push_to_virtuoso_as_a_user_with_the_sparql_update_role(virtuoso):
    """docs/push.md: a Virtuoso user needs SPARQL_UPDATE to push; without it, one clear line."""
    target = Target(virtuoso, user=PUSHER, password=PUSHER_PASSWORD)
    for protocol in Protocol:
        report = api.push(
            [EXAMPLE_GRAPH],
            remote=target.remote(protocol),
            graph_prefix=f"http://example.org/{protocol.value}/",
            ontology=False,
        )
        assert report.sent == 1
    virtuoso.sql("DB.DBA.USER_CREATE('reader', 'reader-secret');")
    result = cli(
        "push",
        EXAMPLE_GRAPH,
        "--endpoint",
        virtuoso.gsp,
        "--user",
        "reader",
        "--password",
        "reader-secret",
        "--graph-prefix",
        "http://example.org/reader/",
        "--no-ontology",
    )
    assert result.exit_code == 4
    (line,) = result.output.strip().splitlines()
    assert "SELECT access denied" in line  # it cannot even read the manifest
    reader = Target(virtuoso, user="dba", password=PASSWORD)
    assert reader.count(["http://example.org/reader/zhao-leji-pyongyang"]) == 0


@pytest.mark.external
def test_push_and_query_with_basic_authentication(oxigraph_server):
    with basic_auth_proxy(oxigraph_server.base, "alice", "s3cret") as proxy:
        remote = Remote(proxy + "/store", user="alice", password="s3cret")
        report = api.push(
            [EXAMPLE_GRAPH], remote=remote, graph_prefix="http://example.org/basic/", force=True
        )
        assert report.sent == 2
        endpoint = api.Endpoint(proxy + "/query", user="alice", password="s3cret")
        result = api.query(
            text="ASK { GRAPH <http://example.org/basic/zhao-leji-pyongyang> { ?s ?p ?o } }",
            endpoint=endpoint,
        )
        assert result.askAnswer is True
        with pytest.raises(DiplographError) as caught:
            api.push([EXAMPLE_GRAPH], remote=Remote(proxy + "/store", user="alice", password="no"))
        assert caught.value.code == "E032"
        with pytest.raises(DiplographError) as caught:
            api.events(endpoint=api.Endpoint(proxy + "/query"))
        assert caught.value.code == "E032"


# --- the bulk path: N-Quads streamed from a store, into Virtuoso's bulk loader ----------------


@pytest.fixture(scope="module")
def example_store(example_extraction, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("push-example") / "store"
    stores.write_articles(path, [example_extraction])
    return path


def test_export_nq_from_a_store_streams_through_oxigraph(example_store, monkeypatch):
    import io

    from diplograph import export

    def no_rdflib(*args, **kwargs):
        raise AssertionError("N-Quads from a store must not go through rdflib")

    monkeypatch.setattr(export, "store_articles", no_rdflib)
    monkeypatch.setattr(export, "serialize", no_rdflib)
    buffer = io.BytesIO()
    export.export_to(buffer, ".nq", store=example_store)
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert len(lines) == len(Graph().parse(EXAMPLE_GRAPH))
    assert all(line.endswith(f"<{EXAMPLE_NAME}> .") for line in lines)


def test_cli_export_to_standard_output_needs_a_format(example_store):
    result = cli("export", "--store", example_store, "--format", "nq")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(Graph().parse(EXAMPLE_GRAPH))
    result = cli("export", "--store", example_store)
    assert result.exit_code == 2 and "--format" in result.output


@pytest.mark.external
def test_virtuoso_bulk_loader_loads_the_exported_nquads(virtuoso, example_store):
    """The README's recipe: export --format nq into a folder in DirsAllowed, ld_dir,
    rdf_loader_run, checkpoint; the graph is then the store's, triple for triple."""
    folder = virtuoso.folder / "bulk"
    folder.mkdir(exist_ok=True)
    result = cli("export", "--store", example_store, "-o", folder / "articles.nq")
    assert result.exit_code == 0, result.output
    target = Target(virtuoso, user="dba", password=PASSWORD)
    target.wipe([EXAMPLE_NAME])
    virtuoso.sql(
        f"ld_dir('{folder}', '*.nq', 'https://w3id.org/diplograph/id/graph/unnamed');",
        "rdf_loader_run();",
        "checkpoint;",
    )
    errors = virtuoso.sql(
        "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;"
    )
    assert "articles.nq" not in errors, errors
    with stores.reading(example_store) as opened:
        expected = local_graphs(opened, {EXAMPLE_NAME})  # export leaves the ontology out
    assert_server_holds(target, expected)
