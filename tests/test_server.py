"""The HTTP server: SPARQL 1.1 Protocol, Graph Store Protocol, linked data, and its limits.

Each server runs on a free local port, in a thread (or, for the timeout, in a process that
is killed afterwards, since an abandoned Oxigraph evaluation keeps a CPU busy). Expected
values come from rdflib reading the same graph file, so a rebuilt example graph keeps the
tests true.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import RDF, SKOS

from conftest import running, serving
from diplograph import guard
from diplograph.errors import DiplographError
from diplograph.server import make_server, open_store, with_folder
from diplograph.server.errors import Refusal
from diplograph.server.formats import GRAPH_FORMATS, RESULT_FORMATS, negotiate
from diplograph.server.runner import Runner
from diplograph.vocab import ontology_graph

# SPARQLWrapper hands RDF results to rdflib's deprecated ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
DGO = Namespace("https://w3id.org/diplograph/ontology#")
DGR = Namespace("https://w3id.org/diplograph/id/")
ZHAO = DGR["person/zhao-leji"]
ARTICLE_GRAPH = str(DGR["graph/zhao-leji-pyongyang"])
TOKEN = "a-test-token"
PERSONS = """PREFIX dgo: <https://w3id.org/diplograph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?person ?name WHERE { ?person a dgo:Person ; skos:prefLabel ?name } ORDER BY ?name"""
ABOUT_ZHAO = f"CONSTRUCT {{ <{ZHAO}> ?p ?o }} WHERE {{ <{ZHAO}> ?p ?o }}"


# --- helpers ------------------------------------------------------------------------------


def http(url, *, method="GET", body=None, headers=None):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_query(base, query, accept=None, **params):
    params = {"query": query, **params}
    headers = {"Accept": accept} if accept else {}
    return http(f"{base}/sparql?{urllib.parse.urlencode(params, doseq=True)}", headers=headers)


def post_update(base, update, token=None, form=True):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if form:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode({"update": update}).encode()
    else:
        headers["Content-Type"] = "application/sparql-update"
        body = update.encode()
    return http(f"{base}/sparql", method="POST", body=body, headers=headers)


def canonical(data: str | bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    """The triples as Oxigraph holds them (typed literals canonical: 0.90 is 0.9)."""
    store = ox.Store()
    store.load(data.encode() if isinstance(data, str) else data, format=fmt)
    return {quad.triple for quad in store}


def same_graph(data: bytes, fmt: ox.RdfFormat, expected: Graph) -> bool:
    return canonical(data, fmt) == canonical(
        expected.serialize(format="nt"), ox.RdfFormat.N_TRIPLES
    )


def still_answers(base) -> None:
    status, _, body = get_query(base, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.fixture(scope="module")
def oracle() -> Graph:
    graph = Graph()
    graph.parse(GRAPH, format="turtle")
    return graph


@pytest.fixture(scope="module")
def persons(oracle) -> set[tuple[str, str]]:
    return {
        (str(person), str(name))
        for person in oracle.subjects(RDF.type, DGO.Person)
        for name in oracle.objects(person, SKOS.prefLabel)
    }


@pytest.fixture(scope="module")
def base():
    with running(open_store([GRAPH]), timeout=10) as url:
        yield url


@pytest.fixture(scope="module")
def writable():
    with running(open_store([GRAPH]), timeout=10, update_token=TOKEN) as url:
        yield url


# --- SPARQL 1.1 Protocol, through SPARQLWrapper ---------------------------------------------


def wrapper(base, query, fmt):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_server_select_each_result_format(base, persons, fmt):
    import csv
    import io

    result = wrapper(base, PERSONS, fmt).query()
    assert result.response.status == 200
    data = result.convert()
    if fmt == "json":
        rows = {(b["person"]["value"], b["name"]["value"]) for b in data["results"]["bindings"]}
        assert data["results"]["bindings"][0]["name"]["xml:lang"] == "en"
    elif fmt == "xml":
        rows = set()
        for node in data.getElementsByTagName("result"):
            cells = {
                b.getAttribute("name"): b.firstChild.firstChild.data
                for b in node.getElementsByTagName("binding")
            }
            rows.add((cells["person"], cells["name"]))
    elif fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode())))
        assert table[0] == ["person", "name"]
        rows = {tuple(row) for row in table[1:]}
    else:
        lines = data.decode().splitlines()
        assert lines[0] == "?person\t?name"
        rows = set()
        for line in lines[1:]:
            person, name = line.split("\t")
            assert person.startswith("<") and name.endswith('"@en')
            rows.add((person[1:-1], name[1 : name.rindex('"')]))
    assert rows == persons


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_server_ask(base, fmt):
    for query, expected in [
        (f"ASK {{ <{ZHAO}> a ?type }}", True),
        ("ASK { <urn:x:no> ?p ?o }", False),
    ]:
        data = wrapper(base, query, fmt).query().convert()
        if fmt == "json":
            assert data["boolean"] is expected
        else:
            answer = data.getElementsByTagName("boolean")[0].firstChild.data
            assert answer == ("true" if expected else "false")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml"])
def test_server_construct_each_rdf_format(base, oracle, fmt):
    from SPARQLWrapper import JSONLD, RDFXML, TURTLE

    expected = Graph()
    for triple in oracle.triples((ZHAO, None, None)):
        expected.add(triple)
    names = {"turtle": TURTLE, "json-ld": JSONLD, "xml": RDFXML, "nt": TURTLE}
    client = wrapper(base, ABOUT_ZHAO, names[fmt])
    if fmt == "nt":
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", "application/n-triples")
    result = client.query()
    media = result.response.headers["Content-Type"].split(";")[0]
    assert (
        media
        == {
            "turtle": "text/turtle",
            "nt": "application/n-triples",
            "json-ld": "application/ld+json",
            "xml": "application/rdf+xml",
        }[fmt]
    )
    data = result.convert()
    if isinstance(data, bytes | str):
        graph = Graph().parse(data=data, format={"turtle": "turtle", "nt": "nt"}[fmt])
    else:
        graph = data
    assert isomorphic(graph, expected), graph_diff(graph, expected)


def test_server_post_form_and_direct_query(base, persons):
    accept = {"Accept": "text/csv"}
    form = urllib.parse.urlencode({"query": PERSONS}).encode()
    headers = {**accept, "Content-Type": "application/x-www-form-urlencoded"}
    status, _, by_form = http(f"{base}/sparql", method="POST", body=form, headers=headers)
    assert status == 200
    headers = {**accept, "Content-Type": "application/sparql-query"}
    status, _, direct = http(
        f"{base}/sparql", method="POST", body=PERSONS.encode(), headers=headers
    )
    assert status == 200
    assert by_form == direct
    assert len(by_form.decode().splitlines()) == len(persons) + 1


def test_server_default_format_is_json_and_unknown_accept_406(base):
    status, headers, body = get_query(base, PERSONS)
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    status, _, body = get_query(base, PERSONS, "image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_server_protocol_dataset_parameters(base, oracle):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, _, body = get_query(
        base, count, "application/sparql-results+json", **{"default-graph-uri": ARTICLE_GRAPH}
    )
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(oracle)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = get_query(base, graphs, "text/csv", **{"named-graph-uri": ARTICLE_GRAPH})
    assert body.decode().split() == ["g", ARTICLE_GRAPH]
    status, _, body = get_query(base, graphs, "text/csv")
    assert len(body.decode().split()) == 3  # the article's graph and the ontology's


def test_server_default_graph_holds_each_triple_once(base, oracle):
    _, _, body = get_query(base, f"SELECT ?p ?o WHERE {{ <{ZHAO}> ?p ?o }}", "text/csv")
    assert len(body.decode().splitlines()) - 1 == len(list(oracle.triples((ZHAO, None, None))))


def test_server_service_description(base):
    status, headers, body = http(f"{base}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph().parse(data=body.decode(), format="turtle")
    (service,) = graph.subjects(RDF.type, sd.Service)
    assert (service, sd.endpoint, URIRef(f"{base}/sparql")) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph
    names = set(graph.objects(None, sd.name))
    assert URIRef(ARTICLE_GRAPH) in names
    status, headers, _ = http(f"{base}/sparql", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")  # redirected to /


def test_server_html_pages_load_only_their_own_files(base):
    for path in ("/", "/id/person/zhao-leji"):
        status, headers, body = http(base + path, headers={"Accept": "text/html"})
        assert status == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
        # no CDN: scripts, styles and images come from this server
        assert re.search(rb'<(script|img|iframe)[^>]*src="(https?:)?//', body) is None
        assert re.search(rb'<link[^>]*href="(https?:)?//', body) is None
    for name in ("app.js", "app.css", "icon.svg"):
        assert http(f"{base}/static/{name}")[0] == 200


def test_server_cors(base):
    status, headers, _ = get_query(base, "ASK {}")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Diplograph-Truncated" in headers["Access-Control-Expose-Headers"]
    status, headers, _ = http(
        f"{base}/sparql",
        method="OPTIONS",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_server_malformed_query_400(base):
    status, _, body = get_query(base, "SELECT * WHERE { ?s ?p }")
    assert status == 400
    assert body.startswith(b"diplograph: invalid SPARQL query: ") and b"1:" in body
    status, _, body = http(
        f"{base}/sparql",
        method="POST",
        body=b"q=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 400 and b"query=" in body
    still_answers(base)


@pytest.mark.external
def test_server_roqet_reads_the_endpoint(base, persons):
    if shutil.which("roqet") is None:
        pytest.skip("roqet is not installed (Debian package rasqal-utils)")
    run = subprocess.run(
        ["roqet", "-W", "0", "-i", "sparql", "-p", f"{base}/sparql", "-r", "csv", "-e", PERSONS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "person,name"
    assert {tuple(line.split(",", 1)) for line in lines[1:]} == persons


# --- Graph Store Protocol -------------------------------------------------------------------


def test_server_gsp_get(base, oracle):
    graph_url = f"{base}/graphs?graph={urllib.parse.quote(ARTICLE_GRAPH)}"
    status, headers, body = http(graph_url, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert same_graph(body, ox.RdfFormat.TURTLE, oracle)
    status, headers, body = http(graph_url + "&format=ntriples")
    assert headers["Content-Type"].startswith("application/n-triples")
    status, _, body = http(f"{base}/graphs?default", headers={"Accept": "application/n-triples"})
    assert status == 200 and len(body.splitlines()) > len(oracle)  # articles and ontology
    status, _, _ = http(f"{base}/graphs?graph=urn:x:nothing")
    assert status == 404


def test_server_gsp_writes_need_the_token(base, writable):
    turtle = b"<urn:x:a> <urn:x:p> <urn:x:b> ."
    target = f"/graphs?graph={urllib.parse.quote('urn:x:g')}"
    headers = {"Content-Type": "text/turtle"}
    for url in (base, writable):
        for method in ("PUT", "POST", "DELETE"):
            status, _, body = http(url + target, method=method, body=turtle, headers=headers)
            assert status == 403, (url, method)
    still_answers(writable)
    auth = {**headers, "Authorization": f"Bearer {TOKEN}"}
    assert http(writable + target, method="PUT", body=turtle, headers=auth)[0] == 201
    more = b"<urn:x:a> <urn:x:p> <urn:x:c> ."
    assert http(writable + target, method="POST", body=more, headers=auth)[0] == 204
    status, _, body = http(writable + target, headers={"Accept": "application/n-triples"})
    assert status == 200 and len(body.splitlines()) == 2
    status, _, body = get_query(writable, "SELECT ?o WHERE { <urn:x:a> ?p ?o }", "text/csv")
    assert sorted(body.decode().split()[1:]) == ["urn:x:b", "urn:x:c"]  # in the merge too
    assert http(writable + target, method="DELETE", headers=auth)[0] == 204
    assert http(writable + target)[0] == 404
    status, _, body = get_query(writable, "ASK { <urn:x:a> ?p ?o }", "text/csv")
    assert body.decode().split()[-1] == "false"


# --- linked data ----------------------------------------------------------------------------


def test_server_linked_data_html_for_an_actor(base, oracle):
    status, headers, body = http(f"{base}/id/person/zhao-leji", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "<h1>Zhao Leji" in page
    assert "Posts" in page  # org:Membership
    for membership in oracle.subjects(URIRef("http://www.w3.org/ns/org#member"), ZHAO):
        role = oracle.value(membership, URIRef("http://www.w3.org/ns/org#role"))
        assert str(oracle.value(role, SKOS.prefLabel)) in page
    # every event Zhao Leji took part in, each with its evidence sentences and article
    events = set(oracle.subjects(DGO.source, ZHAO)) | set(oracle.subjects(DGO.target, ZHAO))
    assert events
    for event in events:
        assert f'href="/id/{event[len(str(DGR)) :]}"' in page
        for sentence in oracle.objects(event, DGO.evidence):
            text = str(oracle.value(sentence, DGO.text))
            assert text.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert 'href="/id/doc/zhao-leji-pyongyang"' in page


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_server_linked_data_rdf_for_an_actor(base, oracle, accept, fmt):
    status, headers, body = http(f"{base}/id/person/zhao-leji", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert headers["Vary"] == "Accept"
    expected = Graph()
    for triple in oracle.triples((ZHAO, None, None)):
        expected.add(triple)
    graph = Graph().parse(data=body.decode(), format=fmt)
    assert isomorphic(graph, expected), graph_diff(graph, expected)


def test_server_linked_data_document_event_and_graph_pages(base, oracle):
    title = str(
        oracle.value(DGR["doc/zhao-leji-pyongyang"], URIRef("http://purl.org/dc/terms/title"))
    )
    status, _, body = http(f"{base}/id/doc/zhao-leji-pyongyang", headers={"Accept": "text/html"})
    assert status == 200 and title.replace("'", "&#x27;") in body.decode()
    event = next(iter(oracle.subjects(DGO.source, ZHAO)))
    label = str(oracle.value(event, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    status, _, body = http(base + "/id/" + event[len(str(DGR)) :], headers={"Accept": "text/html"})
    assert status == 200 and label.replace(">", "&gt;") in body.decode()
    status, _, body = http(f"{base}/id/graph/zhao-leji-pyongyang", headers={"Accept": "text/html"})
    assert status == 200 and "named graph" in body.decode()
    status, _, body = http(f"{base}/id/graph/zhao-leji-pyongyang?format=turtle")
    assert same_graph(body, ox.RdfFormat.TURTLE, oracle)
    assert http(f"{base}/id/person/nobody", headers={"Accept": "text/html"})[0] == 404
    assert http(f"{base}/id/person/nobody", headers={"Accept": "text/turtle"})[0] == 404


def test_server_network_json(base):
    status, _, body = http(f"{base}/network.json")
    data = json.loads(body)
    assert status == 200 and data["nodes"] and data["edges"]
    ids = {node["id"] for node in data["nodes"]}
    assert all(edge["source"] in ids and edge["target"] in ids for edge in data["edges"])
    assert all(edge["events"] >= 1 and edge["href"].startswith("/id/") for edge in data["edges"])
    status, _, body = http(f"{base}/network.json?from=2024-04-01&to=2024-04-30&undated=0")
    dated = json.loads(body)
    assert status == 200 and 0 < len(dated["edges"]) < len(data["edges"])


def _expected_network(graph: Graph, start: str, end: str, undated: bool, limit: int):
    """/network.json counted the plain way, over the graph file with rdflib: the degrees of
    the busiest actors, in order, and the edges among them with their events."""
    categories = {c: str(name) for c, name in ontology_graph().subject_objects(DGO.ploverCategory)}
    events: dict[tuple[str, str, str], set[str]] = {}
    for event in set(graph.subjects(DGO.source, None)):
        days = [str(day) for day in graph.objects(event, DGO.date)]
        spans = [((day + "-01-01")[:10], (day + "-12-31"[len(day) - 4 :])[:10]) for day in days]
        if not (any(first <= end and last >= start for first, last in spans) if days else undated):
            continue
        kinds = {categories[c] for c in graph.objects(event, RDF.type) if c in categories}
        for source in graph.objects(event, DGO.source):
            for target in graph.objects(event, DGO.target):
                for category in kinds if source != target else ():
                    events.setdefault((str(source), str(target), category), set()).add(str(event))
    degrees: dict[str, int] = {}
    for (source, target, _), found in events.items():
        degrees[source] = degrees.get(source, 0) + len(found)
        degrees[target] = degrees.get(target, 0) + len(found)
    busiest = sorted(degrees, key=lambda actor: (-degrees[actor], actor))[:limit]
    edges = {key: found for key, found in events.items() if key[0] in busiest and key[1] in busiest}
    return [(actor, degrees[actor]) for actor in busiest], edges, len(degrees)


@pytest.mark.parametrize(
    ("params", "start", "end", "undated", "limit"),
    [
        ("", "0000-01-01", "9999-12-31", True, 50),
        ("?from=2024-04-01&to=2024-04-30&undated=0", "2024-04-01", "2024-04-30", False, 50),
        ("?from=2024-04-13&to=2024-04-13", "2024-04-13", "2024-04-13", True, 50),
        ("?to=2023-12-31&undated=1", "0000-01-01", "2023-12-31", True, 50),
        ("?undated=0&limit=4", "0000-01-01", "9999-12-31", False, 4),
        ("?limit=3", "0000-01-01", "9999-12-31", True, 3),
        ("?limit=1", "0000-01-01", "9999-12-31", True, 1),
    ],
)
def test_server_network_equals_a_count_in_python(base, oracle, params, start, end, undated, limit):
    status, _, body = http(f"{base}/network.json{params}")
    assert status == 200, body
    data = json.loads(body)
    busiest, edges, actors = _expected_network(oracle, start, end, undated, limit)
    assert [(node["id"], node["degree"]) for node in data["nodes"]] == busiest
    assert len(data["nodes"]) == min(limit, actors) and data["actors"] == actors
    got = {(e["source"], e["target"], e["category"]): e for e in data["edges"]}
    assert {key: edge["events"] for key, edge in got.items()} == {
        key: len(found) for key, found in edges.items()
    }
    assert all(got[key]["event"] == max(found) for key, found in edges.items())
    counts = {}
    for (_, _, category), found in edges.items():
        counts[category] = counts.get(category, 0) + len(found)
    assert {c["name"]: c["edges"] for c in data["categories"]} == counts
    labels = {str(a): str(n) for a, n in oracle.subject_objects(SKOS.prefLabel)}
    assert all(node["label"] == labels[node["id"]] for node in data["nodes"])


def test_server_network_limit_cuts_to_the_busiest(base, oracle):
    everyone = json.loads(http(f"{base}/network.json?limit=200")[2])
    assert len(everyone["nodes"]) == everyone["actors"] > 3
    top = json.loads(http(f"{base}/network.json?limit=3")[2])
    assert [n["id"] for n in top["nodes"]] == [n["id"] for n in everyone["nodes"]][:3]
    ids = {node["id"] for node in top["nodes"]}
    assert top["edges"] and all({e["source"], e["target"]} <= ids for e in top["edges"])
    assert len(top["edges"]) < len(everyone["edges"])


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ("from=April", "from"),
        ("to=2024-02-30", "to"),
        ("from=2024-13-01", "from"),
        ("from=2024-05-01&to=2024-04-01", "after"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=-3", "limit"),
        ("limit=ten", "limit"),
        ("limit=2.5", "limit"),
        ("limit=%C2%B2", "limit"),
        ("limit=99999999999", "limit"),
    ],
)
def test_server_network_refuses_bad_parameters(base, params, word):
    status, _, body = http(f"{base}/network.json?{params}")
    text = body.decode().strip()
    assert status == 400 and word in text and "\n" not in text, text


# --- safety ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { ?s ?p ?o . service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { OPTIONAL { SERVICE ?where { ?s ?p ?o } } VALUES ?where { <http://x/> } }",
        r"SELECT * { \u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o .SERVICE<http://example.org/sparql>{?s ?p ?o} }",
    ],
)
def test_server_refuses_service(base, query):
    status, _, body = get_query(base, query)
    assert status == 403 and b"--allow-service" in body
    still_answers(base)


def test_server_refuses_updates_without_the_token(base, writable):
    insert = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    for form in (True, False):
        status, _, body = post_update(base, insert, form=form)
        assert status == 403 and b"--update-token" in body
        assert post_update(writable, insert, form=form)[0] == 403
        assert post_update(writable, insert, token="wrong", form=form)[0] == 403
    still_answers(base)
    status, _, body = get_query(writable, "ASK { <urn:x:s> ?p ?o }", "text/csv")
    assert body.decode().split()[-1] == "false"


def test_server_update_with_the_token(writable):
    insert = "INSERT DATA { GRAPH <urn:x:update> { <urn:x:s> <urn:x:p> <urn:x:o> } }"
    assert post_update(writable, insert, token=TOKEN)[0] == 204
    query = "ASK { GRAPH <urn:x:update> { <urn:x:s> ?p ?o } }"
    assert get_query(writable, query, "text/csv")[2].decode().split()[-1] == "true"
    assert post_update(writable, "DROP GRAPH <urn:x:update>", token=TOKEN, form=False)[0] == 204


def test_server_refuses_load(base, writable):
    load = "LOAD <file:///etc/passwd> INTO GRAPH <urn:x:passwd>"
    status, _, body = post_update(writable, load, token=TOKEN)  # the token is not enough
    assert status == 403 and b"--allow-load" in body
    status, _, body = post_update(base, load)
    assert status == 403
    assert post_update(writable, "load <http://127.0.0.1:9/x.ttl>", token=TOKEN)[0] == 403
    status, _, body = get_query(writable, "ASK { GRAPH <urn:x:passwd> { ?s ?p ?o } }", "text/csv")
    assert body.decode().split()[-1] == "false"
    still_answers(writable)


def test_server_result_cap_truncates():
    with running(open_store([GRAPH]), max_rows=5) as url:
        status, headers, body = get_query(url, "SELECT * { ?s ?p ?o }", "text/csv")
        assert status == 200 and headers["X-Diplograph-Truncated"] == "true"
        assert len(body.decode().splitlines()) == 6
        status, headers, body = get_query(
            url, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"
        )
        assert headers["X-Diplograph-Truncated"] == "true" and len(body.splitlines()) == 5
        status, headers, body = get_query(url, "SELECT * { ?s ?p ?o } LIMIT 5", "text/csv")
        assert "X-Diplograph-Truncated" not in headers


def test_server_gsp_get_is_whole_or_413_never_cut(oracle):
    """Graph Store GET never answers a cut graph: past --max-rows it is 413, naming the limit
    and how to raise it; within it the whole graph, without the truncation header."""
    article = f"/graphs?graph={urllib.parse.quote(ARTICLE_GRAPH)}"
    with running(open_store([GRAPH]), max_rows=5) as url:
        for path in ("/graphs?default", article):
            status, headers, body = http(url + path, headers={"Accept": "application/n-triples"})
            message = body.decode()
            assert status == 413, message
            assert "X-Diplograph-Truncated" not in headers
            assert message.startswith("diplograph: ") and len(message.splitlines()) == 1
            assert "more than 5 triples" in message and "--max-rows N" in message
        status, _, _ = http(url + article, method="HEAD")
        assert status == 413
        still_answers(url)
    with running(open_store([GRAPH]), max_rows=len(oracle)) as url:  # exactly at the limit
        status, headers, body = http(url + article, headers={"Accept": "application/n-triples"})
        assert status == 200 and "X-Diplograph-Truncated" not in headers
        assert same_graph(body, ox.RdfFormat.N_TRIPLES, oracle)


def test_server_timeout_answers_503_and_keeps_serving(tmp_path):
    """A query past --timeout gets 503; the server answers the next query at once.

    The server runs as ``diplograph serve`` in its own process, as an operator starts it
    (its worker is killed past the timeout: tests/test_hostile.py checks that in detail).
    """
    with serving(str(GRAPH), "--timeout", "1") as url:
        huge = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        status, _, body = get_query(url, huge)
        assert status == 503 and b"--timeout" in body
        assert time.monotonic() - started < 5
        started = time.monotonic()
        status, _, body = get_query(url, PERSONS, "text/csv")
        assert status == 200 and b"Zhao Leji" in body
        assert time.monotonic() - started < 3


def test_server_binds_loopback_by_default():
    server = make_server(open_store([]), port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_server_serves_a_store_folder(tmp_path, oracle):
    from diplograph.rdf.store import replace_graph, with_writer

    folder = tmp_path / "store"
    nt = oracle.serialize(format="nt")
    with_writer(folder, lambda store: replace_graph(store, ox.NamedNode(ARTICLE_GRAPH), nt))

    def check(store) -> None:
        with running(store) as url:
            status, _, body = get_query(url, PERSONS, "text/csv")
            assert status == 200 and b"Zhao Leji" in body
            status, _, body = http(f"{url}/id/person/zhao-leji", headers={"Accept": "text/html"})
            assert status == 200 and "<h1>Zhao Leji" in body.decode()
            status, _, body = http(f"{url}/network.json")  # needs the ontology's categories
            assert json.loads(body)["edges"]
            insert = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
            assert post_update(url, insert, token=TOKEN)[0] == 403

    with_folder(folder, check)
    with pytest.raises(DiplographError, match="no such store"):
        with_folder(tmp_path / "missing", check)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DiplographError, match="not a diplograph store"):
        with_folder(tmp_path / "empty", check, writable=True)


def test_server_cli_needs_graphs_or_a_store():
    from typer.testing import CliRunner

    from diplograph.cli import app

    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "--store" in result.output


# --- units: the guard and content negotiation ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
        ("SELECT * { ?s ?p 'SERVICE' . ?service <http://x/SERVICE> ?o } # SERVICE", set()),
        ('SELECT * { ?s ?p """multi\nSERVICE""" }', set()),
        ("PREFIX service: <http://x/> SELECT * { ?s service:load ?o }", set()),
        (r"SELECT * { ?s ?p '\u0027' . SERVICE <http://x/> { } }", {"SERVICE"}),
        ("SELECT * { FILTER(?a<?b) SERVICE<http://e/>{?s ?p ?o} }", {"SERVICE"}),
        ("load <file:///etc/passwd>", {"LOAD"}),
        ("SELECT * { ?s ?p ?o } LIMIT 1", set()),
    ],
)
def test_server_guard_scan(text, found):
    assert set(guard.scan(text)) == found


def test_server_guard_parse_tree_agrees():
    assert guard.inspect("SELECT * { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }").service
    assert guard.inspect("CLEAR ALL ; LOAD <http://x/> INTO GRAPH <urn:g>", update=True).load
    assert not guard.inspect("SELECT * { ?s ?p 'LOAD' }").keywords


def test_server_negotiate():
    assert negotiate(RESULT_FORMATS, None).name == "json"
    assert negotiate(RESULT_FORMATS, "text/csv;q=0.5, application/sparql-results+xml").name == "xml"
    assert negotiate(RESULT_FORMATS, "application/json").name == "json"
    assert negotiate(RESULT_FORMATS, "image/png") is None
    assert negotiate(GRAPH_FORMATS, "*/*").name == "turtle"
    assert negotiate(GRAPH_FORMATS, "application/json").name == "jsonld"
    assert negotiate(GRAPH_FORMATS, "text/html", wanted=["rdf+xml"]).name == "rdfxml"


def test_server_literal_survives_the_formats(base):
    # a literal with a tab, a newline and quotes, in every results format
    query = 'SELECT ?x WHERE { BIND ("a\\tb\\n\\"c\\"" AS ?x) }'
    _, _, body = get_query(base, query, "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == 'a\tb\n"c"'
    _, _, body = get_query(base, query, "text/tab-separated-values")
    assert body.decode().splitlines()[1] == '"a\\tb\\n\\"c\\""'
    _, _, body = get_query(base, query, "text/csv")
    assert body.decode() == 'x\r\n"a\tb\n""c"""\r\n'
    parsed = ox.parse_query_results(
        get_query(base, query, "application/sparql-results+xml")[2],
        format=ox.QueryResultsFormat.XML,
    )
    assert [solution["x"] for solution in parsed] == [ox.Literal('a\tb\n"c"')]


def test_server_runner_busy_and_timeout():
    runner = Runner(timeout=0.3, max_rows=10, max_running=1)
    release = threading.Event()
    with pytest.raises(Refusal) as timed_out:
        runner.call(lambda job: release.wait(10))
    assert timed_out.value.status == 503 and timed_out.value.code == "S007"
    assert runner.running == 1  # abandoned, still holding its slot
    with pytest.raises(Refusal) as busy:
        runner.call(lambda job: 1)
    assert busy.value.code == "S008" and busy.value.headers["Retry-After"]
    release.set()
    deadline = time.monotonic() + 5
    while runner.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert runner.call(lambda job: 42) == 42


@pytest.mark.parametrize(
    "name", ["guard", "server.formats", "server.html", "rdf.memory", "server.app"]
)
def test_server_doctests(name):
    import doctest
    import importlib

    module = importlib.import_module(f"diplograph.{name}")
    failures, tried = doctest.testmod(module)
    assert tried and not failures


def test_server_store_folder_busy_past_the_wait_answers_503_then_serves(tmp_path, oracle):
    """A request that waits longer than the LiveStore's wait for a writer's commit gets 503
    with Retry-After and the store's "in use" message; once the commit ends it is served,
    with what the commit wrote (the snapshot is reopened)."""
    from diplograph.rdf.store import LiveStore, replace_graph, with_writer

    folder = tmp_path / "store"
    nt = oracle.serialize(format="nt")
    with_writer(folder, lambda store: replace_graph(store, ox.NamedNode(ARTICLE_GRAPH), nt))
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    with running(LiveStore(folder, wait=0.2)) as url:
        # the article, the ontology and the index graph
        assert b"3" in get_query(url, count, "text/csv")[2]

        def commit(store) -> tuple:
            replace_graph(store, ox.NamedNode("urn:x:graph"), "<urn:x:s> <urn:x:p> <urn:x:o> .")
            return get_query(url, count, "text/csv")

        status, headers, body = with_writer(folder, commit)  # the request waits meanwhile
        assert status == 503 and headers.get("Retry-After") == "2"
        assert b"is in use by another process" in body
        status, _, body = get_query(url, count, "text/csv")
        assert status == 200 and b"4" in body
